package dev.thunk.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Builds zip packages in memory for tests, with control over what {@code java.util.zip} cannot set: the Unix
 * mode of each entry (executable bits, symlinks). Entries are stored uncompressed. Not thread-safe.
 */
public final class TestZip {
    private record Entry(String name, byte[] data, int unixMode) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public static TestZip create() {
        return new TestZip();
    }

    /** A regular file with mode 0644. */
    public TestZip file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0100644);
    }

    /** A regular file with mode 0755. */
    public TestZip executable(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0100755);
    }

    /** An entry with an explicit Unix mode (file type bits included, e.g. {@code 0120777} for a symlink). */
    public TestZip file(String name, byte[] content, int unixMode) {
        entries.add(new Entry(name, content, unixMode));
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        List<Long> crcs = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add(out.size());
            CRC32 crc = new CRC32();
            crc.update(e.data());
            crcs.add(crc.getValue());
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = header(30 + name.length);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) crc.getValue()).putInt(e.data().length).putInt(e.data().length)
                    .putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(h.array());
            out.writeBytes(e.data());
        }
        int centralStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = header(46 + name.length);
            h.putInt(0x02014b50).putShort((short) (3 << 8 | 20)).putShort((short) 20).putShort((short) 0x0800)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) (long) crcs.get(i)).putInt(e.data().length).putInt(e.data().length)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(e.unixMode() << 16).putInt(offsets.get(i))
                    .put(name);
            out.writeBytes(h.array());
        }
        int centralSize = out.size() - centralStart;
        ByteBuffer end = header(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt(centralSize).putInt(centralStart).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer header(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
