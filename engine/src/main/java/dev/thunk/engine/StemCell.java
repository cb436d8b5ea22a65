package dev.thunk.engine;

import dev.thunk.engine.launch.FileTrees;
import dev.thunk.engine.launch.MemoryLimits;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;

/**
 * One stem cell: a runtime process started before its function is known ({@link StemCells}), with a directory of
 * its own, {@code <cells>/<id>}:
 * <ul>
 *   <li>{@code task/} and {@code opt/}, empty until binding: the sandbox mounts them read-only when the process
 *       starts (mounts cannot be added later), and binding fills them with the function's code and layers by hard
 *       links (a copy across file systems), which the mounts show as they are. They are the environment's
 *       {@code LAMBDA_TASK_ROOT} and {@code /opt};</li>
 *   <li>{@code output.log}, the process's stdout and stderr, renamed into the environment's log stream at binding
 *       ({@code LogStore.adopt}), so the function's output lands in its log directly, as with any environment.</li>
 * </ul>
 * Its id becomes the environment's id, so its memory and pids cgroups, made with that id at start, are the
 * environment's. {@link #bind} writes the function's environment as one line of JSON to the process's standard
 * input and closes it. The directory is removed when the process ends.
 */
final class StemCell {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    final String id;
    final StemCells.Key key;
    final Path dir;
    final long startedNanos = System.nanoTime();
    private volatile Process process;
    private volatile Optional<MemoryLimits.Cgroup> cgroup = Optional.empty();
    /** Set once by the pool when the cell is handed to a function (or released): who ends it from then on. */
    private volatile boolean claimed;
    private volatile boolean released;

    StemCell(String id, StemCells.Key key, Path dir) {
        this.id = id;
        this.key = key;
        this.dir = dir;
    }

    Path taskRoot() {
        return dir.resolve("task");
    }

    Path optRoot() {
        return dir.resolve("opt");
    }

    Path output() {
        return dir.resolve("output.log");
    }

    void createDirectories() {
        try {
            Files.createDirectories(taskRoot());
            Files.createDirectories(optRoot());
            Files.createFile(output());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create stem cell directory " + dir, e);
        }
    }

    void attach(Process started, Optional<MemoryLimits.Cgroup> memory) {
        this.process = started;
        this.cgroup = memory;
    }

    Process process() {
        return process;
    }

    Optional<MemoryLimits.Cgroup> cgroup() {
        return cgroup;
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    void claim() {
        claimed = true;
    }

    boolean claimed() {
        return claimed;
    }

    /** Whether the pool ended it (idle too long, server stop) rather than the process failing by itself. */
    boolean released() {
        return released;
    }

    /** What the runtime clients print once warm, before they wait for their binding. */
    static final String READY = "thunk: stem cell ready\n";

    /**
     * Whether the process is warm and waits for its binding: it printed {@link #READY} (binding empties the file
     * before it becomes the function's log). A cell still warming up is not bound: a new process is started
     * instead, which is faster than waiting for a JVM's warm-up.
     */
    boolean ready() {
        try {
            long size = Files.size(output());
            return size >= READY.length() && size < 16_384 && outputText().contains(READY);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Fills {@code task/} and {@code opt/} with the function's unpacked code and assembled layers. */
    void populate(Path code, Path layers) {
        linkTree(code, taskRoot());
        linkTree(layers, optRoot());
    }

    /** Hands the process its function: the complete environment, one line of JSON on standard input. */
    void bind(Map<String, String> environment) {
        byte[] line;
        try {
            line = (JSON.writeValueAsString(Map.of("env", environment)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream in = process.getOutputStream()) {
            in.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind stem cell " + id + ": " + e.getMessage(), e);
        }
    }

    /** Ends the process and whatever it started (a sandbox is several processes). */
    void release() {
        released = true;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /**
     * What the process printed while it warmed up besides {@link #READY} (a warm-up that failed, an interpreter's
     * warning), about to be emptied out at binding; empty if nothing.
     */
    String unexpectedOutput() {
        // All of it (a cell is only bound while its output is under 16 KB), so READY is never cut in two.
        String rest = outputText().replace(READY, "").strip();
        String tail = lastChars(rest);
        return tail.length() < rest.length() ? "..." + tail : rest;
    }

    /** The last lines the process printed, for a warning when a cell ends before it was bound. */
    String outputTail() {
        return lastChars(outputText());
    }

    /** Everything the process printed so far; empty if it cannot be read. */
    private String outputText() {
        try {
            return Files.readString(output(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** At most the last 2,000 characters: enough of an output for a log line. */
    private static String lastChars(String text) {
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }

    /** Removes the cell's directory (hard links only: the function's unpacked code is untouched). */
    void deleteFiles() {
        // What cannot be removed now is left for the next start, which empties the cells directory.
        FileTrees.deleteQuietly(dir);
    }

    private static void linkTree(Path source, Path target) {
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) throws IOException {
                    Files.createDirectories(target.resolve(source.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Path to = target.resolve(source.relativize(file).toString());
                    if (attributes.isSymbolicLink()) {
                        Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                        return FileVisitResult.CONTINUE;
                    }
                    try {
                        Files.createLink(to, file);
                    } catch (IOException | UnsupportedOperationException e) {
                        // Another file system: a copy shows the same bytes.
                        Files.copy(file, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fill stem cell directory " + target + " from " + source, e);
        }
    }
}
