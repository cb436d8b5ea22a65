package dev.thunk.runtime.java;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The class path of the user's code, in AWS's order: the task root itself (classes at the root, as when a jar
 * or zip is unpacked), then {@code <taskRoot>/lib/*.jar}, then the layers' {@code <optRoot>/java/lib/*.jar},
 * jars sorted by name within each directory so the order never depends on the file system.
 *
 * <p>The parent is the system class loader, so {@code aws-lambda-java-core} (and the serialization library)
 * always come from the runtime's copy, even when the user's jar bundles its own, as on AWS.
 */
final class TaskClassPath {

    private TaskClassPath() {
    }

    static URLClassLoader classLoader(RuntimeConfig config) {
        // Unnamed on purpose: a named loader prefixes every user stack frame ("task//example.Foo.bar(...)"),
        // and AWS's frames carry no such prefix.
        return new URLClassLoader(urls(config.taskRoot(), config.optRoot()), ClassLoader.getSystemClassLoader());
    }

    static URL[] urls(String taskRoot, String optRoot) {
        List<URL> urls = new ArrayList<>();
        File root = new File(taskRoot);
        urls.add(directoryUrl(root));
        addJars(new File(root, "lib"), urls);
        addJars(new File(new File(optRoot, "java"), "lib"), urls);
        return urls.toArray(new URL[0]);
    }

    private static void addJars(File dir, List<URL> urls) {
        String[] names = dir.list();
        if (names == null) {
            return;
        }
        Arrays.sort(names);
        for (String name : names) {
            if (name.length() > 4 && name.endsWith(".jar")) {
                urls.add(fileUrl(new File(dir, name).getAbsolutePath()));
            }
        }
    }

    private static URL directoryUrl(File dir) {
        String path = dir.getAbsolutePath();
        // URLClassLoader treats a URL as a directory only when it ends with a slash.
        return fileUrl(path.endsWith("/") ? path : path + "/");
    }

    @SuppressWarnings("deprecation") // URL(String, String, int, String) avoids URI parsing of odd file names
    private static URL fileUrl(String path) {
        try {
            return new URL("file", null, -1, path);
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot form a file URL for " + path, e);
        }
    }
}
