package dev.thunk.engine.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The log of one execution environment: a file the environment's process appends its stdout and stderr to
 * directly (O_APPEND), and Thunk appends its START, END and REPORT lines to. Because the function writes straight
 * into the file, everything it printed before answering is in the file when the answer arrives, so an
 * invocation's log is exact without racing a pipe reader. A side index records where and when each invocation
 * starts and ends, for reading by time range. Its entries are written in batches ({@link #INDEX_BATCH} entries,
 * or one {@link #INDEX_DELAY_MILLIS} old), not one write per invocation on the event loop; readers flush it first
 * ({@link LogStore#flushIndexes}), and closing writes the rest. A killed server loses at most a batch: the lines of
 * those invocations are still in the log, only timed by the invocation before them.
 *
 * <p>An invocation's closing lines are held back ({@link #closeInvocationLater}) while its caller is answered, so
 * that two system calls (the write and the file's size) are not between the function's answer and the caller's.
 * They are written right after ({@link #writeHeldBack}), and before anything else touches the file or the index:
 * the next invocation's START, a reader's {@link #flushIndex}, {@link #tail} (so an invocation that asked for its
 * log tail has them written at once), {@link #close}.
 *
 * <p>Thread-safe: appends are serialised; reads may run concurrently with appends.
 */
public final class LogStream implements AutoCloseable {
    static final int INDEX_BATCH = 64;
    static final long INDEX_DELAY_MILLIS = 1000;

    private final String name;
    private final Path file;
    private final FileChannel channel;
    private final FileChannel index;
    private final Consumer<LogStream> onClose;
    /** Index entries not written yet, how many, and the end time of the first. */
    private final StringBuilder pendingIndex = new StringBuilder();
    private int pendingEntries;
    private long firstPendingMillis;
    /** The closing lines of an answered invocation, not written yet; null when there are none. */
    private HeldBack heldBack;

    private record HeldBack(String lines, long startOffset, long startMillis, long endMillis) { }

    LogStream(String name, Path file, Consumer<LogStream> onClose) {
        this.name = name;
        this.file = file;
        this.onClose = onClose;
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
        writeHeldBack();
        try {
            long offset = channel.size();
            writeFully(channel, lines.getBytes(StandardCharsets.UTF_8));
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log stream " + file, e);
        }
    }

    /**
     * Holds back the lines that close an invocation's log (END, REPORT) and its index entry until
     * {@link #writeHeldBack}: for the caller to have its answer first. At most one invocation's are held: a second
     * writes the first's.
     */
    public synchronized void closeInvocationLater(String lines, long startOffset, long startMillis, long endMillis) {
        writeHeldBack();
        heldBack = new HeldBack(lines, startOffset, startMillis, endMillis);
    }

    /** Writes the held-back closing lines, if any, and indexes their invocation. */
    public synchronized void writeHeldBack() {
        HeldBack lines = heldBack;
        if (lines == null || !channel.isOpen()) {
            return;
        }
        heldBack = null;
        long end;
        try {
            writeFully(channel, lines.lines().getBytes(StandardCharsets.UTF_8));
            end = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log stream " + file, e);
        }
        indexInvocation(lines.startOffset(), end, lines.startMillis(), lines.endMillis());
    }

    private static void writeFully(FileChannel to, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            to.write(buffer);
        }
    }

    /** Records that an invocation's log runs from {@code startOffset} to {@code endOffset}, at these times. */
    private void indexInvocation(long startOffset, long endOffset, long startMillis, long endMillis) {
        if (pendingEntries == 0) {
            firstPendingMillis = endMillis;
        }
        pendingIndex.append(startOffset).append(' ').append(endOffset).append(' ').append(startMillis).append(' ')
                .append(endMillis).append('\n');
        pendingEntries++;
        if (pendingEntries >= INDEX_BATCH || endMillis - firstPendingMillis >= INDEX_DELAY_MILLIS) {
            flushIndex();
        }
    }

    /** Writes the index entries not written yet. */
    public synchronized void flushIndex() {
        writeHeldBack();
        if (pendingEntries == 0 || !index.isOpen()) {
            return;
        }
        try {
            writeFully(index, pendingIndex.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log index of " + file, e);
        }
        pendingIndex.setLength(0);
        pendingEntries = 0;
    }

    /** The bytes from {@code from} to the current end, at most the last {@code limit} of them. */
    public byte[] tail(long from, int limit) {
        writeHeldBack();
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

    /** Writes the pending index entries, then closes the stream. */
    @Override
    public synchronized void close() {
        try (channel; index) {
            flushIndex();  // and the held-back lines before it; the files are closed even if that fails
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            onClose.accept(this);
        }
    }
}
