package dev.thunk.engine.launch;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Trains real archives of the packaged runtime client ({@code runtime-java/target}) with the JDKs this machine has,
 * and starts the runtime's training entry point from them as the server would start a function: it must succeed
 * and print nothing but its own line (a JVM that cannot use an archive warns on standard output, the function's
 * log), and its classes must come from the archive.
 */
class JavaArchivesTrainingTest {
    private static final String TRAINED = "thunk-runtime-java: trained on 4 handlers\n";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/java-17-openjdk-amd64"})
    void aJvmStartsFromTheTrainedArchiveWithoutWarnings(String home) throws Exception {
        Path java = Path.of(home, "bin/java");
        assumeTrue(Files.isExecutable(java), "no JDK at " + home);
        String classPath = runtimeClassPath();

        JavaArchives archives = new JavaArchives(true, dir, List.of(java), classPath, TrainingProcess.create());
        try {
            archives.startBuilding();
            assertTrue(archives.awaitIdle(Duration.ofSeconds(120)), "training still running");
            assertTrue(archives.ready(java), "no archive was built; the server log has the training's output");
            List<String> flags = archives.sharingFlags(java);
            assertFalse(flags.equals(JavaArchives.NO_ARCHIVE), flags.toString());

            assertEquals(TRAINED, run(java, flags, classPath, List.of()));
            String classLoading = run(java, flags, classPath, List.of("-Xlog:class+load=info"));
            assertTrue(classLoading.contains("dev.thunk.runtime.java.Main source: shared objects file"),
                    "the runtime's classes are not loaded from the archive:\n" + classLoading.lines()
                            .filter(l -> l.contains("dev.thunk.runtime.java.Main")).toList());
        } finally {
            archives.close();
        }
    }

    /** The packaged runtime client and its libraries; the test is skipped before {@code package} has run. */
    private static String runtimeClassPath() throws IOException {
        Path target = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolveSibling("runtime-java")
                .resolve("target");
        Path jar = target.resolve("thunk-runtime-java.jar");
        Path lib = target.resolve("runtime-lib");
        assumeTrue(Files.isRegularFile(jar) && Files.isDirectory(lib), "runtime-java is not packaged: " + target);
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        try (Stream<Path> jars = Files.list(lib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        }
        return String.join(File.pathSeparator, entries);
    }

    private String run(Path java, List<String> sharingFlags, String classPath, List<String> extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(RuntimeCommand.JVM_FLAGS);
        command.addAll(sharingFlags);
        command.addAll(extra);
        command.addAll(List.of("-Xmx108m", "-cp", classPath, "dev.thunk.runtime.java.Train"));
        Path output = Files.createTempFile(dir, "run-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().clear();
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("no exit within 60 s: " + command);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
