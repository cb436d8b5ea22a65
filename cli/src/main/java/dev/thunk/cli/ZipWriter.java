package dev.thunk.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a zip archive in memory, recording each entry's Unix mode in the central directory's external attributes
 * ("version made by" Unix), which {@code java.util.zip} cannot do: a {@code provided} runtime's {@code bootstrap}
 * must arrive executable. Entries are deflated, or stored when deflating does not make them smaller. No Zip64:
 * archives stay below 4 GiB and 65,535 entries, far above Lambda's limits. Not thread-safe; one archive per
 * instance.
 */
final class ZipWriter {
    static final int REGULAR = 0100644;
    static final int EXECUTABLE = 0100755;

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final short VERSION_NEEDED = 20;
    private static final short MADE_BY_UNIX = 3 << 8 | 20;
    private static final short UTF8_NAMES = 0x0800;
    private static final short STORED = 0;
    private static final short DEFLATED = 8;
    private static final long MAX_SIZE = 0xFFFF_FFFEL;

    private record Central(byte[] name, short method, int dosTime, int dosDate, int crc, long compressedSize,
                           long size, int unixMode, long offset) {
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Central> entries = new ArrayList<>();

    /**
     * Adds a file.
     *
     * @param name     the path inside the archive, {@code /}-separated and relative
     * @param unixMode file type and permission bits, e.g. {@link #EXECUTABLE}
     */
    ZipWriter add(String name, byte[] data, int unixMode, Instant modified) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\")) {
            throw new IllegalArgumentException("zip entry names are relative and /-separated: " + name);
        }
        if (entries.size() == 0xFFFF) {
            throw CliException.failed("too many files for one package (more than 65,535)");
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        byte[] deflated = deflate(data);
        boolean store = deflated.length >= data.length;
        byte[] body = store ? data : deflated;
        long offset = out.size();
        if (offset + body.length > MAX_SIZE) {
            throw CliException.failed("package too large: over 4 GiB (Lambda accepts 250 MB unzipped)");
        }
        int[] dos = dosTime(modified);
        Central entry = new Central(name.getBytes(StandardCharsets.UTF_8), store ? STORED : DEFLATED, dos[0], dos[1],
                (int) crc.getValue(), body.length, data.length, unixMode, offset);
        ByteBuffer header = buffer(30 + entry.name().length)
                .putInt(LOCAL_HEADER).putShort(VERSION_NEEDED).putShort(UTF8_NAMES).putShort(entry.method())
                .putShort((short) entry.dosTime()).putShort((short) entry.dosDate()).putInt(entry.crc())
                .putInt((int) entry.compressedSize()).putInt((int) entry.size())
                .putShort((short) entry.name().length).putShort((short) 0).put(entry.name());
        out.writeBytes(header.array());
        out.writeBytes(body);
        entries.add(entry);
        return this;
    }

    /** The finished archive. */
    byte[] toByteArray() {
        ByteArrayOutputStream archive = new ByteArrayOutputStream(out.size() + entries.size() * 100 + 22);
        archive.writeBytes(out.toByteArray());
        long centralStart = archive.size();
        for (Central e : entries) {
            ByteBuffer header = buffer(46 + e.name().length)
                    .putInt(CENTRAL_HEADER).putShort(MADE_BY_UNIX).putShort(VERSION_NEEDED).putShort(UTF8_NAMES)
                    .putShort(e.method()).putShort((short) e.dosTime()).putShort((short) e.dosDate())
                    .putInt(e.crc()).putInt((int) e.compressedSize()).putInt((int) e.size())
                    .putShort((short) e.name().length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0)
                    .putInt(e.unixMode() << 16).putInt((int) e.offset()).put(e.name());
            archive.writeBytes(header.array());
        }
        long centralSize = archive.size() - centralStart;
        if (centralStart + centralSize > MAX_SIZE) {
            throw CliException.failed("package too large: over 4 GiB (Lambda accepts 250 MB unzipped)");
        }
        ByteBuffer end = buffer(22).putInt(END_OF_CENTRAL_DIRECTORY).putShort((short) 0).putShort((short) 0)
                .putShort((short) entries.size()).putShort((short) entries.size())
                .putInt((int) centralSize).putInt((int) centralStart).putShort((short) 0);
        archive.writeBytes(end.array());
        return archive.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, data.length / 2));
            byte[] chunk = new byte[64 * 1024];
            while (!deflater.finished()) {
                compressed.write(chunk, 0, deflater.deflate(chunk));
            }
            return compressed.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** MS-DOS time and date in the local zone, two-second resolution, clamped to the format's 1980 start. */
    private static int[] dosTime(Instant modified) {
        LocalDateTime t = LocalDateTime.ofInstant(modified, ZoneId.systemDefault());
        if (t.getYear() < 1980) {
            return new int[] {0, 1 << 5 | 1};
        }
        if (t.getYear() > 2107) {
            t = LocalDateTime.of(2107, 12, 31, 23, 59, 58);
        }
        int time = t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() / 2;
        int date = (t.getYear() - 1980) << 9 | t.getMonthValue() << 5 | t.getDayOfMonth();
        return new int[] {time, date};
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
