package dev.thunk.server;

import dev.thunk.engine.launch.RuntimeClients;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts Thunk's runtime clients where processes can run them. The Python and Node.js clients ship as resources of
 * the server's class path (listed in {@code dev/thunk/runtimes/files.txt}) and are copied into the data directory
 * at start; the Java client runs from the jars the server itself was loaded from.
 */
final class RuntimeClientFiles {
    private static final String RESOURCES = "dev/thunk/runtimes/";

    private RuntimeClientFiles() {
    }

    static RuntimeClients install(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String file : listed()) {
                Path target = dir.resolve(file);
                Files.createDirectories(target.getParent());
                try (InputStream in = resource(file)) {
                    replace(in, target);
                }
            }
            return new RuntimeClients(dir.resolve("python/bootstrap.py"), dir.resolve("node/thunk_runtime.cjs"),
                    installJava(dir.resolve("java")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the runtime clients into " + dir, e);
        }
    }

    /**
     * Copies the Java runtime client and its two libraries into the data directory, which every sandbox sees
     * read-only: where the server found them (its own lib directory, a build's classes, possibly under {@code /tmp})
     * may be hidden from a sandboxed environment. Answers the class path of the copies.
     */
    private static String installJava(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        for (Path from : javaClassPath()) {
            Path to = dir.resolve(from.getFileName().toString());
            if (Files.isDirectory(from)) {
                copyTree(from, to);
            } else {
                copyIfChanged(from, to);
            }
            entries.add(to.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Writes {@code target} whole or not at all: a running environment never reads a half-copied file. */
    private static void replace(InputStream in, Path target) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), ".copy", "");
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A build's class directory (tests run the client from one), copied file by file. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    copyIfChanged(file, target);
                }
            }
        }
    }

    /**
     * Replaces {@code to} with {@code from} unless they are equal already: class-data archives are tied to the
     * class path's modification times, so an unchanged file must not be rewritten.
     */
    private static void copyIfChanged(Path from, Path to) throws IOException {
        if (!Files.exists(to) || Files.mismatch(from, to) != -1) {
            try (InputStream in = Files.newInputStream(from)) {
                replace(in, to);
            }
        }
    }

    private static List<String> listed() throws IOException {
        List<String> files = new ArrayList<>();
        try (InputStream in = resource("files.txt")) {
            for (String line : new String(in.readAllBytes()).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    files.add(line.strip());
                }
            }
        }
        return files;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = RuntimeClientFiles.class.getClassLoader().getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new IOException("missing runtime client resource " + RESOURCES + name);
        }
        return in;
    }

    /** The Java runtime client and the two libraries it needs, wherever the server's class loader found them. */
    private static List<Path> javaClassPath() {
        List<Path> entries = new ArrayList<>();
        for (String className : List.of("dev.thunk.runtime.java.Main",
                "com.amazonaws.services.lambda.runtime.Context",
                "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer")) {
            entries.add(locationOf(className));
        }
        return entries;
    }

    private static Path locationOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, RuntimeClientFiles.class.getClassLoader());
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the Java runtime client is not on the server's class path: " + className, e);
        }
    }
}
