package dev.thunk.engine.launch;

import dev.thunk.core.ZipListing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Extracts a stored zip into a directory that only its caller writes (a private temporary directory), refusing
 * what could reach outside it: entries whose path leaves the directory, symlinks that point outside it, and
 * entries whose parent directory resolves outside it through a symlink extracted earlier. A file already there is
 * replaced (a symlink is replaced, never followed), which is how later layers override earlier ones. Counts the
 * bytes it writes against a budget, so a zip bomb stops at the limit. Not thread-safe: one per extraction.
 */
final class ZipExtractor {
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");

    private final Path into;
    private final Path realInto;
    private final long maxBytes;
    private long written;

    /** @param maxBytes the most bytes all the zips extracted by this extractor may write together */
    ZipExtractor(Path into, long maxBytes) throws IOException {
        this.into = into;
        this.realInto = into.toRealPath();
        this.maxBytes = maxBytes;
    }

    void extract(Path zipFile) throws IOException {
        Map<String, ZipListing.Entry> listed = new HashMap<>();
        ZipListing.read(Files.readAllBytes(zipFile)).entries().forEach(e -> listed.put(e.name(), e));
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = inside(entry.getName());
                Optional<ZipListing.Entry> mode = Optional.ofNullable(listed.get(entry.getName()));
                if (entry.isDirectory()) {
                    createDirectories(target);
                    continue;
                }
                createDirectories(target.getParent());
                // Replaced, not written through: a symlink left by an earlier zip must not redirect this write.
                if (Files.isSymbolicLink(target)) {
                    Files.delete(target);
                }
                if (mode.isPresent() && mode.get().symlink()) {
                    link(zip, entry, target);
                } else {
                    write(zip, entry, target);
                    Files.setPosixFilePermissions(target, executable(mode, entry.getName()) ? EXECUTABLE : REGULAR);
                }
            }
        }
    }

    private void link(ZipFile zip, ZipEntry entry, Path target) throws IOException {
        String link = new String(zip.getInputStream(entry).readNBytes(4096));
        Path resolved = target.getParent().toRealPath().resolve(link).normalize();
        if (!resolved.startsWith(realInto)) {
            throw new IOException("symlink " + entry.getName() + " points outside the package: " + link);
        }
        Files.deleteIfExists(target);
        Files.createSymbolicLink(target, Path.of(link));
    }

    private void write(ZipFile zip, ZipEntry entry, Path target) throws IOException {
        try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > maxBytes) {
                    throw new IOException("the package unpacks to more than " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    /**
     * Creates a directory and its parents, after checking that the deepest part that exists already resolves
     * inside the target: a symlinked directory from an earlier entry must not carry later entries out.
     */
    private void createDirectories(Path dir) throws IOException {
        Path existing = dir;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path real = existing.toRealPath();
        if (!real.startsWith(realInto)) {
            throw new IOException("entry directory " + into.relativize(dir) + " resolves outside the package");
        }
        Files.createDirectories(dir);
    }

    /**
     * With a Unix mode the zip decides. Zips made without one (on Windows, or by Java) carry no execute bits, yet a
     * custom runtime's entry point must run: such entries named like one are made executable.
     */
    private static boolean executable(Optional<ZipListing.Entry> listed, String name) {
        return listed.flatMap(ZipListing.Entry::unixMode)
                .map(mode -> (mode & 0100) != 0)
                .orElse(name.equals("bootstrap") || name.endsWith(".sh"));
    }

    private Path inside(String name) throws IOException {
        Path target = into.resolve(name).normalize();
        if (!target.startsWith(into) || target.equals(into)) {
            throw new IOException("entry " + name + " would land outside the package directory");
        }
        return target;
    }
}
