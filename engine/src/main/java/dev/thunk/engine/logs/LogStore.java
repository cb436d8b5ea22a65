package dev.thunk.engine.logs;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where logs live: {@code <root>/<function>/<stream>.log}, one stream per environment, grouped per function as in
 * the log group {@code /aws/lambda/<function>}. Stream names are AWS's
 * ({@code YYYY/MM/DD/[version]environmentId}), stored URL-encoded as file names.
 */
public final class LogStore {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final Path root;
    /** The streams open now, by file, so that readers can have their index entries written first. */
    private final ConcurrentHashMap<Path, LogStream> open = new ConcurrentHashMap<>();

    public LogStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Opens a new stream for an environment of a function version. */
    public LogStream open(String function, String version, String environmentId, Instant started) {
        String name = streamName(version, environmentId, started);
        return register(name, fileOf(function, name));
    }

    /**
     * Opens a new stream for an environment whose process already writes to {@code output} (a stem cell bound to
     * the function now): the file is emptied (what the cell printed before it was bound is not the function's) and
     * renamed into place, so the process's open descriptor now writes the stream. The rename must be atomic, on
     * one file system: a copy would leave the process writing a file nobody reads.
     */
    public LogStream adopt(String function, String version, String environmentId, Instant started, Path output) {
        String name = streamName(version, environmentId, started);
        Path file = fileOf(function, name);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(output,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(0);
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.move(output, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot adopt " + output + " as log stream " + file, e);
        }
        return register(name, file);
    }

    private LogStream register(String name, Path file) {
        LogStream stream = new LogStream(name, file, closed -> open.remove(file, closed));
        open.put(file, stream);
        return stream;
    }

    /** Writes the pending index entries of the function's open streams: a reader of its logs calls this first. */
    public void flushIndexes(String function) {
        Path dir = directory(function);
        open.forEach((file, stream) -> {
            if (file.getParent().equals(dir)) {
                stream.flushIndex();
            }
        });
    }

    /** The stream's name as AWS prints it: {@code YYYY/MM/DD/[version]environmentId}. */
    private static String streamName(String version, String environmentId, Instant started) {
        return DAY.format(started) + "/[" + version + "]" + environmentId;
    }

    private Path fileOf(String function, String streamName) {
        return directory(function).resolve(URLEncoder.encode(streamName, StandardCharsets.UTF_8) + ".log");
    }

    public Path directory(String function) {
        return root.resolve(function);
    }

    static Path indexOf(Path logFile) {
        String name = logFile.getFileName().toString();
        return logFile.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".idx");
    }

    /** The stream name of a log file in a function's directory. */
    public static String streamName(Path logFile) {
        String name = logFile.getFileName().toString();
        return URLDecoder.decode(name.substring(0, name.length() - ".log".length()), StandardCharsets.UTF_8);
    }
}
