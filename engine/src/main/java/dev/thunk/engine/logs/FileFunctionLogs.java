package dev.thunk.engine.logs;

import dev.thunk.core.logs.FunctionLogs;
import dev.thunk.core.logs.LogEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads logs from the files of a {@link LogStore}. A line takes the time of the invocation it belongs to (from the
 * stream's index); lines written outside any invocation (init, or after an answer) take the time of the nearest
 * invocation before them, or the file's. Following polls the files for growth and new streams.
 */
public final class FileFunctionLogs implements FunctionLogs {
    private static final long POLL_MILLIS = 200;

    private final LogStore store;

    public FileFunctionLogs(LogStore store) {
        this.store = store;
    }

    @Override
    public boolean read(String functionName, long startMillis, boolean follow, Predicate<LogEvent> sink) {
        Path dir = store.directory(functionName);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        store.flushIndexes(functionName); // the latest invocations' times are in the files before they are read
        Map<Path, Long> readUpTo = new HashMap<>();
        List<LogEvent> history = new ArrayList<>();
        for (Path file : logFiles(dir)) {
            long size = size(file);
            history.addAll(events(file, size, startMillis));
            readUpTo.put(file, size);
        }
        history.sort(Comparator.comparingLong(LogEvent::timestamp));
        for (LogEvent event : history) {
            if (!sink.test(event)) {
                return true;
            }
        }
        while (follow) {
            for (Path file : logFiles(dir)) {
                long from = readUpTo.getOrDefault(file, 0L);
                long size = size(file);
                if (size > from) {
                    byte[] fresh = read(file, from, size);
                    int complete = lastNewline(fresh) + 1;
                    readUpTo.put(file, from + complete);
                    String stream = LogStore.streamName(file);
                    for (String line : lines(fresh, complete)) {
                        if (!sink.test(new LogEvent(System.currentTimeMillis(), stream, line))) {
                            return true;
                        }
                    }
                }
            }
            // A quiet follow still has to notice a client that went away.
            if (!sink.test(null)) {
                return true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return true;
    }

    private static List<LogEvent> events(Path file, long size, long startMillis) {
        List<long[]> invocations = index(file);
        byte[] bytes = read(file, 0, size);
        String stream = LogStore.streamName(file);
        long fileTime = modified(file);
        List<LogEvent> events = new ArrayList<>();
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                long time = timeOf(lineStart, invocations, fileTime);
                if (time >= startMillis) {
                    events.add(new LogEvent(time, stream, new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8)));
                }
                lineStart = i + 1;
            }
        }
        return events;
    }

    /**
     * The time of the line at {@code offset}: its invocation's start, or the end of the invocation before it when it
     * falls between two; init output before the first invocation takes that invocation's start.
     */
    private static long timeOf(long offset, List<long[]> invocations, long fileTime) {
        long time = invocations.isEmpty() ? fileTime : invocations.get(0)[2];
        for (long[] invocation : invocations) {
            if (invocation[0] > offset) {
                break;
            }
            time = offset < invocation[1] ? invocation[2] : invocation[3];
        }
        return time;
    }

    /** The index entries: {startOffset, endOffset, startMillis, endMillis}. */
    private static List<long[]> index(Path logFile) {
        Path index = LogStore.indexOf(logFile);
        List<long[]> entries = new ArrayList<>();
        if (!Files.exists(index)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(index)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 4) {
                    entries.add(new long[]{Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                            Long.parseLong(parts[2]), Long.parseLong(parts[3])});
                }
            }
        } catch (IOException | NumberFormatException e) {
            // A torn last line of an index that is being written: the entries before it stand.
        }
        return entries;
    }

    private static List<Path> logFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list logs in " + dir, e);
        }
    }

    private static List<String> lines(byte[] bytes, int length) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return lines;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] read(Path file, long from, long to) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) (to - from)];
            in.seek(from);
            in.readFully(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
