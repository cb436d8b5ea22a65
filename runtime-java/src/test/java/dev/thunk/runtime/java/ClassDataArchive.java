package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A class-data archive of the runtime built by {@link Train}, with the flags the server uses: JDK 25's AOT cache
 * ({@code -XX:AOTCacheOutput} to build in one step, {@code -XX:AOTCache} to use), else JDK 17's dynamic AppCDS
 * archive ({@code -XX:ArchiveClassesAtExit}, {@code -XX:SharedArchiveFile}). Either needs the same class path,
 * all jars, when built and when used.
 */
record ClassDataArchive(Path javaHome, Path file) {

    static boolean hasAotCache(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    int dot = version.indexOf('.');
                    return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) >= 25;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot tell the version of the JDK at " + javaHome, e);
        }
        throw new IllegalStateException("no JAVA_VERSION in " + javaHome.resolve("release"));
    }

    List<String> trainFlags() {
        return List.of(hasAotCache(javaHome) ? "-XX:AOTCacheOutput=" + file : "-XX:ArchiveClassesAtExit=" + file);
    }

    List<String> useFlags() {
        return List.of(hasAotCache(javaHome) ? "-XX:AOTCache=" + file : "-XX:SharedArchiveFile=" + file);
    }

    /** Runs the training, failing with its output when it does not leave an archive. */
    static ClassDataArchive train(Path javaHome, String classPath, Path file) throws IOException, InterruptedException {
        ClassDataArchive archive = new ClassDataArchive(javaHome, file);
        Path log = Files.createTempFile(file.getParent(), "train-", ".log");
        List<String> command = RuntimeProcess.command(javaHome, archive.trainFlags(), classPath,
                "dev.thunk.runtime.java.Train");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(FakeRuntimeApi.WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(file)) {
            p.destroyForcibly();
            throw new IllegalStateException("training failed on " + javaHome + ":\n" + Files.readString(log));
        }
        return archive;
    }

    /**
     * The runtime's class path with its own classes as a jar, as an archive needs: when tests run before
     * packaging, they are a directory, which is jarred into {@code dir}.
     */
    static String jarClassPath(Path dir) throws IOException {
        Path classes = RuntimeProcess.codeSource(Main.class);
        Path jar = classes;
        if (Files.isDirectory(classes)) {
            jar = dir.resolve("thunk-runtime-java.jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, (OutputStream) out);
                    out.closeEntry();
                }
            }
        }
        return String.join(":", jar.toString(), RuntimeProcess.codeSource(RequestHandler.class).toString(),
                RuntimeProcess.codeSource(PojoSerializer.class).toString());
    }
}
