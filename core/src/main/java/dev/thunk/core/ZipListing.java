package dev.thunk.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the central directory of a zip held in memory: entry names, declared sizes and Unix modes, which
 * {@code java.util.zip} does not expose. Used to reject what is not a zip before it is stored, and to find its
 * symbolic links. Sizes are as declared; whoever unpacks must still enforce limits on the bytes actually written.
 */
public final class ZipListing {
    public static final String NOT_A_ZIP = "Could not unzip uploaded file. Please check your file, then try to upload again.";

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int UNIX_HOST = 3;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFLNK = 0xA000;

    /** One entry; {@code unixMode} is empty when the archiver recorded none (zips made on Windows or by Java). */
    public record Entry(String name, long size, Optional<Integer> unixMode) {
        public boolean symlink() {
            return unixMode.isPresent() && (unixMode.get() & S_IFMT) == S_IFLNK;
        }
    }

    private final List<Entry> entries;

    private ZipListing(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    public long unzippedSize() {
        long total = 0;
        for (Entry e : entries) {
            total += e.size();
        }
        return total;
    }

    /** Lists {@code zip}, or throws InvalidParameterValueException if it is not a well-formed zip. */
    public static ZipListing read(byte[] zip) {
        try {
            return new ZipListing(readEntries(ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN)));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw LambdaException.invalidParameter(NOT_A_ZIP);
        }
    }

    private static List<Entry> readEntries(ByteBuffer buf) {
        int eocd = findEndOfCentralDirectory(buf);
        long count = buf.getShort(eocd + 10) & 0xFFFF;
        long offset = buf.getInt(eocd + 16) & 0xFFFFFFFFL;
        if (count == 0xFFFF || offset == 0xFFFFFFFFL) {
            int locator = eocd - 20;
            require(locator >= 0 && buf.getInt(locator) == ZIP64_LOCATOR);
            int zip64 = toIndex(buf.getLong(locator + 8), buf);
            require(buf.getInt(zip64) == ZIP64_EOCD);
            count = buf.getLong(zip64 + 32);
            offset = buf.getLong(zip64 + 48);
        }
        require(count >= 0 && count <= buf.limit() / 46);
        List<Entry> entries = new ArrayList<>((int) count);
        int pos = toIndex(offset, buf);
        for (long i = 0; i < count; i++) {
            require(buf.getInt(pos) == CENTRAL);
            int madeBy = buf.getShort(pos + 4) & 0xFFFF;
            long size = buf.getInt(pos + 24) & 0xFFFFFFFFL;
            int nameLength = buf.getShort(pos + 28) & 0xFFFF;
            int extraLength = buf.getShort(pos + 30) & 0xFFFF;
            int commentLength = buf.getShort(pos + 32) & 0xFFFF;
            int external = buf.getInt(pos + 38);
            long localOffset = buf.getInt(pos + 42) & 0xFFFFFFFFL;
            byte[] nameBytes = new byte[nameLength];
            buf.get(pos + 46, nameBytes);
            int extra = pos + 46 + nameLength;
            if (size == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL) {
                long[] sizes = zip64Sizes(buf, extra, extraLength, buf.getInt(pos + 20) == -1, size == 0xFFFFFFFFL);
                size = sizes[0] >= 0 ? sizes[0] : size;
                localOffset = sizes[1] >= 0 ? sizes[1] : localOffset;
            }
            require(size >= 0 && buf.getInt(toIndex(localOffset, buf)) == LOCAL);
            Optional<Integer> mode = (madeBy >> 8) == UNIX_HOST && (external >>> 16) != 0
                    ? Optional.of(external >>> 16) : Optional.empty();
            entries.add(new Entry(new String(nameBytes, StandardCharsets.UTF_8), size, mode));
            pos = extra + extraLength + commentLength;
        }
        return entries;
    }

    /** Reads the zip64 extra field: [uncompressed size, local header offset], -1 where absent. */
    private static long[] zip64Sizes(ByteBuffer buf, int start, int length, boolean compressedToo, boolean hasSize) {
        long[] result = {-1, -1};
        int pos = start;
        while (pos + 4 <= start + length) {
            int id = buf.getShort(pos) & 0xFFFF;
            int size = buf.getShort(pos + 2) & 0xFFFF;
            if (id == 0x0001) {
                int field = pos + 4;
                if (hasSize) {
                    result[0] = buf.getLong(field);
                    field += 8;
                }
                if (compressedToo) {
                    field += 8;
                }
                if (field + 8 <= pos + 4 + size) {
                    result[1] = buf.getLong(field);
                }
                return result;
            }
            pos += 4 + size;
        }
        return result;
    }

    private static int findEndOfCentralDirectory(ByteBuffer buf) {
        int last = buf.limit() - 22;
        int first = Math.max(0, last - 0xFFFF);
        for (int pos = last; pos >= first; pos--) {
            if (buf.getInt(pos) == EOCD) {
                return pos;
            }
        }
        throw new IllegalArgumentException("no end of central directory");
    }

    private static int toIndex(long offset, ByteBuffer buf) {
        require(offset >= 0 && offset < buf.limit());
        return (int) offset;
    }

    private static void require(boolean condition) {
        if (!condition) {
            throw new IllegalArgumentException("malformed zip");
        }
    }
}
