package dev.thunk.core.control;

import dev.thunk.core.LambdaException;
import dev.thunk.core.ZipListing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks an uploaded package before anything is stored: every entry stays inside the directory it is unpacked in
 * (no absolute names, no {@code ..}, no symlink pointing out), the zip really inflates (checksums included), and
 * the bytes it really inflates to, not only the sizes it declares, stay under AWS's unzipped limit. A package that
 * fails is refused at once with a 400, so a hostile zip (a bomb, a path escape) never becomes a stored function that
 * fails later. Inflating costs a pass over the package at upload; unpacking enforces the same rules again.
 */
final class PackageSafety {
    /** Longest symlink target read; a real one is a path, far shorter. */
    private static final int MAX_LINK_TARGET = 4096;

    private PackageSafety() {
    }

    static void check(byte[] zip, ZipListing listing, long maxUnzipped) {
        if (listing.unzippedSize() >= maxUnzipped) {
            throw tooLarge(maxUnzipped);
        }
        Map<String, ZipListing.Entry> byName = listing.entries().stream()
                .collect(Collectors.toMap(ZipListing.Entry::name, e -> e, (a, b) -> a));
        for (ZipListing.Entry entry : listing.entries()) {
            checkName(entry.name());
        }
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            byte[] buffer = new byte[64 * 1024];
            while ((entry = in.getNextEntry()) != null) {
                checkName(entry.getName());
                ZipListing.Entry listed = byName.get(entry.getName());
                if (listed != null && listed.symlink()) {
                    checkLink(entry.getName(), readLink(in));
                    continue;
                }
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total += n;
                    if (total >= maxUnzipped) {
                        throw tooLarge(maxUnzipped);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // ZipException (a bad checksum, a broken stream) or a name that is not valid UTF-8.
            throw LambdaException.invalidParameter(ZipListing.NOT_A_ZIP);
        }
    }

    private static void checkName(String name) {
        String normalized = name.replace('\\', '/');
        if (normalized.startsWith("/") || normalized.indexOf('\0') >= 0 || escapes(normalized)) {
            throw LambdaException.invalidParameter(ZipListing.NOT_A_ZIP + " The entry '" + printable(name)
                    + "' would be unpacked outside the package's directory.");
        }
    }

    private static void checkLink(String name, String target) {
        if (target.startsWith("/") || target.indexOf('\0') >= 0) {
            throw badLink(name, target);
        }
        Path parent = Path.of("/root", name).getParent();
        Path resolved = parent.resolve(target).normalize();
        if (!resolved.startsWith(Path.of("/root"))) {
            throw badLink(name, target);
        }
    }

    private static boolean escapes(String name) {
        int depth = 0;
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                depth--;
                if (depth < 0) {
                    return true;
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    private static String readLink(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[512];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_LINK_TARGET) {
                throw new IllegalArgumentException("symlink target too long");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static LambdaException badLink(String name, String target) {
        return LambdaException.invalidParameter(ZipListing.NOT_A_ZIP + " The symbolic link '" + printable(name)
                + "' points outside the package's directory ('" + printable(target) + "').");
    }

    private static LambdaException tooLarge(long maxUnzipped) {
        return LambdaException.invalidParameter("Unzipped size must be smaller than " + maxUnzipped + " bytes");
    }

    /** A name as it can be shown in a message: control characters replaced. */
    private static String printable(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
