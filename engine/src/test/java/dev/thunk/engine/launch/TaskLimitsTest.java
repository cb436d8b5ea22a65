package dev.thunk.engine.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void withoutCgroupsOnlyTheLimitIsApplied() throws Exception {
        Process process = new ProcessBuilder(TaskLimits.applying(List.of(), List.of("/bin/sh", "-c", "ulimit -n")))
                .redirectErrorStream(true).start();
        assertEquals("1024", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        assertEquals(0, process.waitFor());
    }
}
