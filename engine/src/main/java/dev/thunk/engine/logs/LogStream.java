package dev.thunk.engine.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The log of one execution environment: a file the environment's process appends its stdout and stderr to
 * directly (O_APPEND), and Thunk appends its START, END and REPORT lines to. Because the function writes straight
 * into the file, everything it printed before answering is in the file when the answer arrives, so an
 * invocation's log is exact without racing a pipe reader. A side index records where and when each invocation
 * starts and ends, for reading by time range.
 *
 * <p>Thread-safe: appends are serialised; reads may run concurrently with appends.
 */
public final class LogStream implements AutoCloseable {
    private final String name;
    private final Path file;
    private final FileChannel channel;
    private final FileChannel index;

    LogStream(String name, Path file) {
        this.name = name;
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            this.index = FileChannel.open(LogStore.indexOf(file), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log stream " + file, e);
        }
    }

    /** The stream's name as AWS prints it: {@code YYYY/MM/DD/[version]environmentId}. */
    public String name() {
        return name;
    }

    /** The file the environment's stdout and stderr go to. */
    public Path file() {
        return file;
    }

    /** Appends platform lines; returns the offset at which they start. */
    public synchronized long append(String lines) {
        try {
            long offset = channel.size();
            write(lines);
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log stream " + file, e);
        }
    }

    /** Appends platform lines that close an invocation's log; returns the file's size after them. */
    public synchronized long appendThenSize(String lines) {
        try {
            write(lines);
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log stream " + file, e);
        }
    }

    private void write(String lines) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Records that an invocation's log runs from {@code startOffset} to {@code endOffset}, at these times. */
    public synchronized void indexInvocation(long startOffset, long endOffset, long startMillis, long endMillis) {
        String entry = startOffset + " " + endOffset + " " + startMillis + " " + endMillis + "\n";
        try {
            index.write(ByteBuffer.wrap(entry.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log index of " + file, e);
        }
    }

    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes from {@code from} to the current end, at most the last {@code limit} of them. */
    public byte[] tail(long from, int limit) {
        try {
            long end = channel.size();
            long start = Math.max(from, end - limit);
            ByteBuffer buffer = ByteBuffer.allocate((int) (end - start));
            try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
                while (buffer.hasRemaining() && reader.read(buffer, start + buffer.position()) > 0) {
                    // read until the end captured above
                }
            }
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log stream " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
            index.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
