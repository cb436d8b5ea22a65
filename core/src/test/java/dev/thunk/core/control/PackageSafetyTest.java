package dev.thunk.core.control;

import dev.thunk.core.LambdaException;
import dev.thunk.core.ZipListing;
import dev.thunk.testkit.TestZip;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackageSafetyTest {
    private static final long LIMIT = 1 << 20;

    private static void check(byte[] zip) {
        PackageSafety.check(zip, ZipListing.read(zip), LIMIT);
    }

    private static String refusal(byte[] zip) {
        return assertThrows(LambdaException.class, () -> check(zip)).getMessage();
    }

    private static byte[] link(String name, String target) {
        return TestZip.create().file("app.py", "x = 1\n")
                .file(name, target.getBytes(StandardCharsets.UTF_8), 0120777).bytes();
    }

    @Test
    void ordinaryPackagesAndInwardLinksPass() {
        assertDoesNotThrow(() -> check(TestZip.create().file("app.py", "x = 1\n").file("lib/./a/../b.py", "")
                .bytes()));
        assertDoesNotThrow(() -> check(link("node_modules/.bin/tool", "../tool/cli.js")));
    }

    @Test
    void entriesOutsideThePackageAreRefused() {
        assertTrue(refusal(TestZip.create().file("../evil.py", "").bytes()).contains("'../evil.py'"));
        assertTrue(refusal(TestZip.create().file("a/../../evil.py", "").bytes()).contains("outside"));
        assertTrue(refusal(TestZip.create().file("/etc/evil", "").bytes()).contains("outside"));
    }

    @Test
    void linksOutOfThePackageAreRefused() {
        assertTrue(refusal(link("link", "/etc/passwd")).contains("symbolic link 'link'"));
        assertTrue(refusal(link("lib/link", "../../secret")).contains("points outside"));
    }

    @Test
    void theBytesReallyInflatedCountNotTheDeclaredSizes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("big.bin"));
            zip.write(new byte[(int) LIMIT + 1]);
            zip.closeEntry();
        }
        assertEquals("Unzipped size must be smaller than " + LIMIT + " bytes", refusal(bytes.toByteArray()));
    }

    @Test
    void aCorruptedEntryIsNotAZip() {
        byte[] zip = TestZip.create().file("app.py", "print('hello, world')\n").bytes();
        zip[40] ^= 0x55; // inside the stored data: the checksum no longer matches
        assertEquals(ZipListing.NOT_A_ZIP, refusal(zip));
    }
}
