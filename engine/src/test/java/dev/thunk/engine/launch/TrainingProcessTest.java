package dev.thunk.engine.launch;

import dev.thunk.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TrainingProcessTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void runsInAnEmptyEnvironmentAndHandsBackItsOutput() throws Exception {
        TrainingProcess training = new TrainingProcess(Optional.empty());
        JavaArchives.Trainer.Run env = training.run(List.of("/usr/bin/env"), dir, Duration.ofSeconds(30));
        assertEquals(0, env.exitCode());
        assertEquals("", env.output(), "no variable of the server's environment");
        JavaArchives.Trainer.Run failing = training.run(
                List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), dir, Duration.ofSeconds(30));
        assertEquals(3, failing.exitCode());
        assertEquals("out\nerr\n", failing.output());
        assertEquals(List.of(), files(), "its log is removed");
    }

    @Test
    void runsAtTheLowestPriorityWithNice() throws Exception {
        Optional<String> nice = Executables.onPath("nice");
        assumeTrue(nice.isPresent(), "no nice on PATH");
        JavaArchives.Trainer.Run run = new TrainingProcess(nice).run(
                List.of("/bin/sh", "-c", "read -r stat < /proc/self/stat; echo $stat"), dir, Duration.ofSeconds(30));
        assertEquals(0, run.exitCode(), run.output());
        String afterName = run.output().substring(run.output().lastIndexOf(')') + 2);
        assertEquals("19", afterName.split(" ")[16], run.output()); // field 19 of stat: the nice value
    }

    @Test
    void aTrainingOverItsTimeLimitIsKilledWithItsChildren() throws Exception {
        // Like JDK 25's training, which assembles the AOT cache in a child JVM.
        JavaArchives.Trainer.Run run = new TrainingProcess(Optional.empty()).run(
                List.of("/bin/sh", "-c", "sleep 600 & echo $!; wait"), dir, Duration.ofSeconds(1));
        assertEquals(-1, run.exitCode());
        assertTrue(run.output().startsWith("no exit within 1000 ms\n"), run.output());
        String[] lines = run.output().split("\n");
        if (lines.length > 1) { // the shell got as far as starting its child
            long child = Long.parseLong(lines[1].strip());
            Await.until("the child to be killed", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
        }
        assertEquals(List.of(), files());
    }

    @Test
    void aCommandThatCannotStartIsAFailure() throws Exception {
        JavaArchives.Trainer.Run run = new TrainingProcess(Optional.empty())
                .run(List.of(dir.resolve("missing").toString()), dir, Duration.ofSeconds(30));
        assertEquals(-1, run.exitCode());
        assertTrue(run.output().startsWith("cannot start"), run.output());
    }
}
