package dev.thunk.it;

import dev.thunk.testkit.TestZip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Deployment packages for test functions of every runtime. */
final class Packages {
    private Packages() {
    }

    static byte[] python(String appSource) {
        return TestZip.create().file("app.py", appSource).bytes();
    }

    static byte[] node(String indexSource) {
        return TestZip.create().file("index.js", indexSource).bytes();
    }

    /** A custom runtime whose bootstrap is a shell script. */
    static byte[] provided(String bootstrap) {
        return TestZip.create().executable("bootstrap", bootstrap).bytes();
    }

    /**
     * The compiled handlers of {@code dev.thunk.it.handlers} (from this module's test classes) as a zip with classes
     * at its root, plus the given jars under {@code lib/}, the way AWS's Java packages look.
     */
    static byte[] java(Class<?>... libraries) {
        return java(TestZip.create(), libraries);
    }

    /** A Java package that brings its own runtime: an executable {@code bootstrap} beside the classes and jars. */
    static byte[] javaWithBootstrap(String bootstrap, Class<?>... libraries) {
        return java(TestZip.create().executable("bootstrap", bootstrap), libraries);
    }

    private static byte[] java(TestZip zip, Class<?>... libraries) {
        Path classes = locationOf(Packages.class);
        Path handlers = classes.resolve("dev/thunk/it/handlers");
        try (Stream<Path> files = Files.walk(handlers)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.file(classes.relativize(file).toString(), Files.readAllBytes(file), 0100644);
            }
            for (Class<?> library : libraries) {
                Path jar = locationOf(library);
                zip.file("lib/" + jar.getFileName(), Files.readAllBytes(jar), 0100644);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.bytes();
    }

    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
