package dev.thunk.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessMemoryTest {
    /** What each holder process keeps resident, well above an idle interpreter's few megabytes. */
    private static final int HELD_MB = 64;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** A shell that starts a child holding {@link #HELD_MB} and waits for it, and reports once it is resident. */
    private Process holderBelowShell(Path ready) throws IOException {
        String python = "import time; b = bytearray(" + HELD_MB + " << 20); b[::4096] = b'x' * len(b[::4096]); "
                + "open('" + ready + "', 'w').close(); time.sleep(60)";
        Process p = new ProcessBuilder("sh", "-c", "python3 -c \"" + python + "\"; true").start();
        started.add(p);
        return p;
    }

    private static void await(Path ready) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.exists(ready); i++) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(ready), "the holder never became resident");
    }

    @Test
    void countsTheDescendantsOfAnEnvironmentWithoutACgroup() throws Exception {
        Path ready = dir.resolve("ready");
        Process shell = holderBelowShell(ready);
        await(ready);
        long peak = new ProcessMemory(shell.pid(), Optional.empty()).peakMegabytes(0);
        assertTrue(peak >= HELD_MB, "the child's memory is counted: " + peak + " MB");
    }

    @Test
    void countsEveryMemberOfTheEnvironmentsCgroupDescendantOrNot() throws Exception {
        Path readyA = dir.resolve("a");
        Path readyB = dir.resolve("b");
        Process main = holderBelowShell(readyA);
        Process unrelated = holderBelowShell(readyB);
        await(readyA);
        await(readyB);
        // The list a cgroup's cgroup.procs gives: here the main shell, its child, and a process outside its tree
        // (as a process whose parent ended would be).
        List<String> members = new ArrayList<>();
        members.add(Long.toString(main.pid()));
        main.descendants().forEach(d -> members.add(Long.toString(d.pid())));
        unrelated.descendants().forEach(d -> members.add(Long.toString(d.pid())));
        Path procs = Files.write(dir.resolve("cgroup.procs"), members, StandardCharsets.US_ASCII);

        long tree = new ProcessMemory(main.pid(), Optional.empty()).peakMegabytes(0);
        long cgroup = new ProcessMemory(main.pid(), Optional.of(procs)).peakMegabytes(0);
        assertTrue(tree >= HELD_MB && tree < 2 * HELD_MB, "one holder below the main process: " + tree + " MB");
        assertTrue(cgroup >= 2 * HELD_MB, "both holders in the cgroup: " + cgroup + " MB");
    }

    @Test
    void fallsBackToTheDescendantsOnceTheCgroupIsGone() throws Exception {
        Path ready = dir.resolve("ready");
        Process shell = holderBelowShell(ready);
        await(ready);
        long peak = new ProcessMemory(shell.pid(), Optional.of(dir.resolve("removed/cgroup.procs")))
                .peakMegabytes(0);
        assertTrue(peak >= HELD_MB, "the child's memory is still counted: " + peak + " MB");
    }
}
