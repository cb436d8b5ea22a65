package dev.thunk.engine.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TaskLimitsTest {
    @TempDir
    Path dir;

    @Test
    void theWrapperLimitsOpenFilesJoinsEveryCgroupAndBecomesTheCommand() throws Exception {
        Path memory = Files.createFile(dir.resolve("memory.procs"));
        Path pids = Files.createFile(dir.resolve("pids.procs"));
        Process process = new ProcessBuilder(TaskLimits.applying(List.of(memory, pids),
                List.of("/bin/sh", "-c", "echo $$; ulimit -n", "ignored")))
                .redirectErrorStream(true).start();
        List<String> out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, process.waitFor());
        String pid = Long.toString(process.pid());
        assertEquals(List.of(pid, Integer.toString(TaskLimits.MAX_OPEN_FILES)), out,
                "the command runs in the same process, with the limit");
        assertEquals(pid, Files.readString(memory).trim());
        assertEquals(pid, Files.readString(pids).trim());
    }

    /**
     * What an environment leaves behind that is no longer its main process's descendant (here a background
     * process orphaned when its shell exits; in practice a sandbox's inner process orphaned by bubblewrap's
     * --die-with-parent race) is still in its cgroup: removing the cgroup ends it.
     */
    @Test
    void removingAnEnvironmentsCgroupEndsWhatItLeftBehind() throws Exception {
        TaskLimits limits = TaskLimits.detect();
        try {
            Optional<Path> cgroup = limits.create("orphan-test");
            assumeTrue(cgroup.isPresent(), "no writable cgroup pids controller here");
            Process shell = new ProcessBuilder(TaskLimits.applying(List.of(cgroup.get().resolve("cgroup.procs")),
                    List.of("/bin/sh", "-c", "sleep 60 > /dev/null 2>&1 & echo $!"))).start();
            long orphan = Long.parseLong(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .trim());
            assertEquals(0, shell.waitFor());
            ProcessHandle left = ProcessHandle.of(orphan).orElseThrow();
            assertTrue(left.isAlive(), "the background process outlived its shell");
            assertFalse(ProcessHandle.current().descendants().anyMatch(p -> p.pid() == orphan),
                    "and is no descendant of the server any more");

            limits.remove(cgroup.get());
            left.onExit().get(5, TimeUnit.SECONDS);
            assertFalse(Files.exists(cgroup.get()), "the emptied cgroup is removed");
        } finally {
            limits.close();
        }
    }

    @Test
    void withoutCgroupsOnlyTheLimitIsApplied() throws Exception {
        Process process = new ProcessBuilder(TaskLimits.applying(List.of(), List.of("/bin/sh", "-c", "ulimit -n")))
                .redirectErrorStream(true).start();
        assertEquals("1024", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        assertEquals(0, process.waitFor());
    }
}
