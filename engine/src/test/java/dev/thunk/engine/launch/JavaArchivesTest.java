package dev.thunk.engine.launch;

import dev.thunk.core.FunctionConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JavaArchives} with a fake training that writes (or not) the archive file its command names. */
class JavaArchivesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Path archives;
    private FakeJdk jdk25;
    private FakeJdk jdk17;
    private Path jar;
    private String classPath;
    private final FakeTrainer trainer = new FakeTrainer();
    private final List<JavaArchives> opened = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        archives = dir.resolve("data/runtimes/java-archives");
        jdk25 = FakeJdk.create(dir, "25.0.3");
        jdk17 = FakeJdk.create(dir, "17.0.15");
        jar = Files.writeString(dir.resolve("thunk-runtime-java.jar"), "classes");
        classPath = jar + File.pathSeparator + Files.writeString(dir.resolve("aws-lambda-java-core.jar"), "core");
    }

    @AfterEach
    void closeAll() {
        opened.forEach(JavaArchives::close);
    }

    private JavaArchives archives(FakeJdk... jdks) {
        JavaArchives a = new JavaArchives(true, archives, Stream.of(jdks).map(FakeJdk::java).toList(), classPath,
                trainer);
        opened.add(a);
        return a;
    }

    private static void awaitIdle(JavaArchives a) throws InterruptedException {
        assertTrue(a.awaitIdle(WAIT), "builds still running after " + WAIT);
    }

    private List<String> archiveFiles() throws IOException {
        try (Stream<Path> files = Files.list(archives)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void startsWithoutAnArchiveThenWithTheOneItTrained() throws Exception {
        JavaArchives a = archives(jdk25);
        assertEquals(List.of("-Xshare:auto"), a.sharingFlags(jdk25.java()), "before building");
        assertEquals(0, trainer.commands.size(), "nothing is trained before startBuilding");

        a.startBuilding();
        awaitIdle(a);

        assertTrue(a.ready(jdk25.java()));
        List<String> flags = a.sharingFlags(jdk25.java());
        assertEquals(1, flags.size(), flags.toString());
        assertTrue(flags.get(0).matches("-XX:AOTCache=" + archives + "/[0-9a-f]{16}\\.aot"), flags.toString());
        assertEquals(List.of(flags.get(0).substring("-XX:AOTCache=".length()).replace(archives + "/", "")),
                archiveFiles(), "only the archive is left: no temporary file");

        List<String> command = trainer.commands.get(0);
        assertEquals(jdk25.java().toString(), command.get(0));
        assertEquals(RuntimeCommand.JVM_FLAGS, command.subList(1, 1 + RuntimeCommand.JVM_FLAGS.size()));
        assertTrue(command.contains("-Xmx256m"));
        assertFalse(command.contains("-Xshare:auto"), "JDK 25 refuses -Xshare beside the AOT flags");
        assertTrue(command.stream().anyMatch(c -> c.startsWith("-XX:AOTCacheOutput=") && c.endsWith(".aot.tmp")));
        assertEquals(List.of("-cp", classPath, "dev.thunk.runtime.java.Train"),
                command.subList(command.size() - 3, command.size()));
    }

    @Test
    void jdk17GetsAnAppCdsArchive() throws Exception {
        JavaArchives a = archives(jdk17);
        a.startBuilding();
        awaitIdle(a);

        List<String> command = trainer.commands.get(0);
        assertTrue(command.contains("-Xshare:auto"));
        assertTrue(command.stream().anyMatch(c -> c.startsWith("-XX:ArchiveClassesAtExit=") && c.endsWith(".jsa.tmp")));
        List<String> flags = a.sharingFlags(jdk17.java());
        assertEquals("-Xshare:auto", flags.get(0));
        assertTrue(flags.get(1).matches("-XX:SharedArchiveFile=.*/[0-9a-f]{16}\\.jsa"), flags.toString());
    }

    @Test
    void aFailedTrainingLeavesNoArchiveAndIsNotRetried() throws Exception {
        trainer.exitCode = 1; // the training wrote its file but failed: the file is not trusted
        JavaArchives a = archives(jdk25, jdk17);
        a.startBuilding();
        awaitIdle(a);

        assertEquals(2, trainer.commands.size());
        assertEquals(List.of(), archiveFiles());
        assertEquals(List.of("-Xshare:auto"), a.sharingFlags(jdk25.java()));
        awaitIdle(a);
        assertEquals(2, trainer.commands.size(), "one try per key and server");
    }

    @Test
    void exitZeroWithoutAnArchiveIsAFailure() throws Exception {
        trainer.writes = false; // as JDK 17 does when it has no base CDS archive to build on
        JavaArchives a = archives(jdk17);
        a.startBuilding();
        awaitIdle(a);
        assertFalse(a.ready(jdk17.java()));
        assertEquals(List.of("-Xshare:auto"), a.sharingFlags(jdk17.java()));
    }

    @Test
    void aLaterServerReusesTheArchiveWithoutTraining() throws Exception {
        JavaArchives first = archives(jdk25);
        first.startBuilding();
        awaitIdle(first);
        List<String> flags = first.sharingFlags(jdk25.java());
        first.close();

        trainer.commands.clear();
        JavaArchives second = archives(jdk25);
        assertEquals(flags, second.sharingFlags(jdk25.java()), "ready before its builds even started");
        second.startBuilding();
        awaitIdle(second);
        assertEquals(List.of(), trainer.commands);
        assertEquals(1, archiveFiles().size());
    }

    @Test
    void aRebuiltJarMakesTheArchiveStaleAndARestartReplacesIt() throws Exception {
        JavaArchives first = archives(jdk25);
        first.startBuilding();
        awaitIdle(first);
        String old = archiveFiles().get(0);

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        assertEquals(List.of("-Xshare:auto"), first.sharingFlags(jdk25.java()), "the stale archive is not used");
        awaitIdle(first); // that call queued a build for the new jars
        assertEquals(2, trainer.commands.size());
        assertTrue(first.ready(jdk25.java()));
        first.close();

        JavaArchives second = archives(jdk25);
        second.startBuilding();
        awaitIdle(second);
        assertFalse(archiveFiles().contains(old), "the old archive is removed at start: " + archiveFiles());
        assertEquals(1, archiveFiles().size());
    }

    @Test
    void anArchiveTrainedWhileAJarChangedIsNotKept() throws Exception {
        trainer.during = command -> touch(jar);
        JavaArchives a = archives(jdk25);
        a.startBuilding();
        awaitIdle(a);
        assertEquals(List.of(), archiveFiles());
    }

    @Test
    void leftoversOfAKilledTrainingAreRemovedAtStart() throws Exception {
        Files.createDirectories(archives);
        Files.writeString(archives.resolve("0123456789abcdef.aot.tmp"), "partial");
        Files.writeString(archives.resolve("0123456789abcdef.aot.tmp.config"), "partial");
        Files.writeString(archives.resolve("training-1.log.tmp"), "partial");
        Files.writeString(archives.resolve("notes.txt"), "not ours");
        trainer.exitCode = 1;
        JavaArchives a = archives(jdk25);
        a.startBuilding();
        awaitIdle(a);
        assertEquals(List.of("notes.txt"), archiveFiles());
    }

    @Test
    void aClassPathWithADirectoryHasNoArchive() throws Exception {
        classPath = Files.createDirectories(dir.resolve("target/classes")) + File.pathSeparator + jar;
        JavaArchives a = archives(jdk25);
        a.startBuilding();
        awaitIdle(a);
        assertEquals(List.of(), trainer.commands);
        assertEquals(List.of("-Xshare:auto"), a.sharingFlags(jdk25.java()));
    }

    @Test
    void disabledNeverTrains() throws Exception {
        JavaArchives a = JavaArchives.disabled();
        opened.add(a);
        a.startBuilding();
        awaitIdle(a);
        assertEquals(List.of("-Xshare:auto"), a.sharingFlags(jdk25.java()));
        assertFalse(a.ready(jdk25.java()));
    }

    @Test
    void theRuntimeCommandCarriesTheArchiveFlags() throws Exception {
        JavaArchives a = archives(jdk25);
        RuntimeCatalog catalog = new RuntimeCatalog(List.of(new RuntimeCatalog.Jdk(jdk25.home(), 25)),
                Optional.empty(), Optional.empty());
        RuntimeCommand commands = new RuntimeCommand(catalog,
                new RuntimeClients(dir.resolve("bootstrap.py"), dir.resolve("thunk_runtime.cjs"), classPath), a);
        FunctionConfig config = new FunctionConfig("java21", "example.Handler", "arn:aws:iam::000000000000:role/r",
                "", 128, 3, 512, Map.of(), List.of("x86_64"), List.of(), Optional.empty(), "PassThrough");
        Path taskRoot = dir.resolve("task");

        assertEquals(List.of(jdk25.java().toString(), "--add-opens=java.base/java.util=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-Xss512k", "-Xshare:auto", "-Xmx108m", "-cp", classPath,
                "dev.thunk.runtime.java.Main"), commands.command(config, taskRoot, taskRoot));

        a.startBuilding();
        awaitIdle(a);
        List<String> command = commands.command(config, taskRoot, taskRoot);
        assertFalse(command.contains("-Xshare:auto"), command.toString());
        assertEquals(a.sharingFlags(jdk25.java()), command.subList(6, 7));
        assertEquals(List.of("-Xmx108m", "-cp", classPath, "dev.thunk.runtime.java.Main"),
                command.subList(7, command.size()));
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 1_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records each command; writes the file named by its archive output flag, unless told not to. */
    private static final class FakeTrainer implements JavaArchives.Trainer {
        final List<List<String>> commands = new CopyOnWriteArrayList<>();
        volatile int exitCode;
        volatile boolean writes = true;
        volatile Consumer<List<String>> during = command -> { };

        @Override
        public Run run(List<String> command, Path workDir, Duration limit) {
            commands.add(command);
            assertEquals(JavaArchives.TIME_LIMIT, limit);
            during.accept(command);
            if (writes) {
                for (String arg : command) {
                    if (arg.startsWith("-XX:AOTCacheOutput=") || arg.startsWith("-XX:ArchiveClassesAtExit=")) {
                        try {
                            Files.writeString(Path.of(arg.substring(arg.indexOf('=') + 1)), "archive");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }
            return new Run(exitCode, "fake training");
        }
    }
}
