package dev.thunk.core;

import dev.thunk.testkit.TestZip;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipListingTest {

    @Test
    void readsNamesSizesAndUnixModes() {
        byte[] zip = TestZip.create().executable("bootstrap", "#!/bin/sh\n").file("lib/a.txt", "hello")
                .file("link", "target".getBytes(), 0120777).bytes();
        ZipListing listing = ZipListing.read(zip);
        assertEquals(3, listing.entries().size());
        assertEquals(0100755, entry(listing, "bootstrap").unixMode().orElseThrow());
        assertEquals(0100644, entry(listing, "lib/a.txt").unixMode().orElseThrow());
        assertFalse(entry(listing, "lib/a.txt").symlink());
        assertTrue(entry(listing, "link").symlink());
        assertEquals(10 + 5 + 6, listing.unzippedSize());
    }

    @Test
    void zipsMadeByJavaHaveNoUnixModes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("bootstrap"));
            zip.write("#!/bin/sh\n".getBytes());
        }
        ZipListing.Entry entry = entry(ZipListing.read(out.toByteArray()), "bootstrap");
        assertTrue(entry.unixMode().isEmpty());
        assertFalse(entry.symlink());
    }

    @Test
    void rejectsWhatIsNotAZip() {
        for (byte[] bad : new byte[][]{"not a zip".getBytes(), new byte[22], new byte[0], truncated()}) {
            LambdaException e = assertThrows(LambdaException.class, () -> ZipListing.read(bad));
            assertEquals(ErrorCode.InvalidParameterValueException, e.code());
            assertEquals(ZipListing.NOT_A_ZIP, e.getMessage());
        }
    }

    private static byte[] truncated() {
        byte[] zip = TestZip.create().file("a", "b").bytes();
        byte[] cut = new byte[zip.length];
        System.arraycopy(zip, 20, cut, 20, zip.length - 20);
        return cut;
    }

    private static ZipListing.Entry entry(ZipListing listing, String name) {
        return listing.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
}
