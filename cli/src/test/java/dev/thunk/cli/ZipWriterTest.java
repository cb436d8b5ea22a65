package dev.thunk.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipWriterTest {
    @TempDir
    Path dir;

    @Test
    void zipsADirectoryInNameOrderWithUnixModesAndDeflatedEntries() throws IOException {
        write("bootstrap", "#!/bin/sh\necho hi\n", "rwxr-xr-x");
        write("lib/data.txt", "data ".repeat(1000), "rw-r--r--");
        write("lib/private.txt", "secret", "rw-------");
        write("a.sh", "#!/bin/sh\n", "rwx------");
        write("lib/empty", "", "rw-r--r--");

        byte[] zip = CodePackage.read(dir);

        Map<String, byte[]> contents = unzip(zip);
        assertEquals(List.of("a.sh", "bootstrap", "lib/data.txt", "lib/empty", "lib/private.txt"),
                List.copyOf(contents.keySet()));
        assertEquals("#!/bin/sh\necho hi\n", new String(contents.get("bootstrap"), StandardCharsets.UTF_8));
        assertEquals("data ".repeat(1000), new String(contents.get("lib/data.txt"), StandardCharsets.UTF_8));
        assertEquals(0, contents.get("lib/empty").length);

        Map<String, int[]> central = centralDirectory(zip);
        assertEquals(0100755, central.get("bootstrap")[0]);
        assertEquals(0100755, central.get("a.sh")[0]);
        assertEquals(0100644, central.get("lib/data.txt")[0]);
        assertEquals(0100644, central.get("lib/private.txt")[0], "normalised so the runtime can read it");
        assertEquals(ZipEntry.DEFLATED, central.get("lib/data.txt")[1]);
        assertEquals(ZipEntry.STORED, central.get("lib/empty")[1], "nothing to gain from deflating");
        central.values().forEach(v -> assertEquals(3, v[2], "made by Unix"));
    }

    @Test
    void keepsTheModificationTimeToTwoSeconds() throws IOException {
        Instant modified = Instant.parse("2025-03-04T05:06:08Z");
        byte[] zip = new ZipWriter().add("f", new byte[] {1}, ZipWriter.REGULAR, modified).toByteArray();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            assertEquals(modified, in.getNextEntry().getLastModifiedTime().toInstant());
        }
    }

    @Test
    void takesAZipOrJarAsItIs() throws IOException {
        byte[] zip = new ZipWriter().add("app.py", "x".getBytes(), ZipWriter.REGULAR, Instant.now()).toByteArray();
        Path jar = dir.resolve("hello.jar");
        Files.write(jar, zip);
        assertArrayEquals(zip, CodePackage.read(jar));
    }

    @Test
    void zipsASingleOtherFileUnderItsName() throws IOException {
        Path file = write("app.py", "def handler(e, c): return 1\n", "rw-r--r--");
        byte[] zip = CodePackage.read(file);
        assertEquals(List.of("app.py"), List.copyOf(unzip(zip).keySet()));
    }

    @Test
    void refusesWhatCannotBeAPackage() throws IOException {
        Files.writeString(dir.resolve("broken.zip"), "not a zip");
        assertEquals(dir.resolve("broken.zip") + " is not a zip archive",
                assertThrows(CliException.class, () -> CodePackage.read(dir.resolve("broken.zip"))).getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals("nothing to deploy: " + empty + " has no files",
                assertThrows(CliException.class, () -> CodePackage.read(empty)).getMessage());
        CliException missing = assertThrows(CliException.class, () -> CodePackage.read(dir.resolve("nope")));
        assertEquals(CliException.USAGE, missing.exitCode());
    }

    private Path write(String name, String content, String permissions) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    /** Entry name → {Unix mode, method, host system of "version made by"}, read from the central directory. */
    static Map<String, int[]> centralDirectory(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        assertEquals(0x06054b50, b.getInt(end));
        int count = Short.toUnsignedInt(b.getShort(end + 10));
        int at = b.getInt(end + 16);
        Map<String, int[]> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            assertEquals(0x02014b50, b.getInt(at));
            int madeBy = Short.toUnsignedInt(b.getShort(at + 4)) >> 8;
            int method = Short.toUnsignedInt(b.getShort(at + 10));
            int nameLength = Short.toUnsignedInt(b.getShort(at + 28));
            int extra = Short.toUnsignedInt(b.getShort(at + 30));
            int comment = Short.toUnsignedInt(b.getShort(at + 32));
            int mode = b.getInt(at + 38) >>> 16;
            String name = new String(zip, at + 46, nameLength, StandardCharsets.UTF_8);
            out.put(name, new int[] {mode, method, madeBy});
            at += 46 + nameLength + extra + comment;
        }
        assertTrue(out.size() == count);
        return out;
    }
}
