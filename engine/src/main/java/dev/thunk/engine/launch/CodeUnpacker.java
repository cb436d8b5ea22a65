package dev.thunk.engine.launch;

import dev.thunk.core.CodeStore;
import dev.thunk.core.ZipListing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacks stored packages on first use into {@code <root>/<blobId>/}, shared by every environment of every
 * function with the same code. Unpacking goes to a temporary directory renamed into place, so a directory under its
 * final name is always complete. Entries that would land outside the directory, symlinks that point outside it,
 * and packages that unpack to more than the limit (zip bombs) are refused. Thread-safe.
 */
public final class CodeUnpacker {
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");

    private final CodeStore code;
    private final Path root;
    private final long maxUnpackedBytes;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> unpacking =
            new java.util.concurrent.ConcurrentHashMap<>();

    public CodeUnpacker(CodeStore code, Path root, long maxUnpackedBytes) {
        this.code = code;
        this.root = root;
        this.maxUnpackedBytes = maxUnpackedBytes;
    }

    /**
     * The unpacked directory of a package, unpacking it now if this is its first use. Environments that need the
     * same package at once (a burst of cold starts) wait for one unpacking instead of each doing it.
     */
    public Path unpacked(String blobId) {
        Path target = root.resolve(blobId);
        if (Files.isDirectory(target)) {
            return target;
        }
        // A lock, not a monitor: on JDK 21 a virtual thread waiting on a monitor would pin its carrier.
        java.util.concurrent.locks.ReentrantLock lock =
                unpacking.computeIfAbsent(blobId, id -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            return Files.isDirectory(target) ? target : unpackInto(blobId, target);
        } finally {
            lock.unlock();
        }
    }

    private Path unpackInto(String blobId, Path target) {
        Path temp = root.resolve(blobId + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp);
            unpack(code.zip(blobId), temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // A directory under the final name is complete (it was renamed into place whole): use it.
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                deleteTree(temp);
            }
            return target;
        } catch (IOException e) {
            deleteTree(temp);
            throw new UncheckedIOException("cannot unpack package " + blobId + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
    }

    private void unpack(Path zipFile, Path into) throws IOException {
        byte[] bytes = Files.readAllBytes(zipFile);
        Map<String, ZipListing.Entry> modes = new HashMap<>();
        ZipListing.read(bytes).entries().forEach(e -> modes.put(e.name(), e));
        long written = 0;
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = inside(into, entry.getName());
                Optional<ZipListing.Entry> listed = Optional.ofNullable(modes.get(entry.getName()));
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (listed.isPresent() && listed.get().symlink()) {
                    String link = new String(zip.getInputStream(entry).readNBytes(4096));
                    Path resolved = target.getParent().resolve(link).normalize();
                    if (!resolved.startsWith(into)) {
                        throw new IOException("symlink " + entry.getName() + " points outside the package: " + link);
                    }
                    Files.createSymbolicLink(target, Path.of(link));
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        written += n;
                        if (written > maxUnpackedBytes) {
                            throw new IOException("the package unpacks to more than " + maxUnpackedBytes + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                }
                Files.setPosixFilePermissions(target, executable(listed, entry.getName()) ? EXECUTABLE : REGULAR);
            }
        }
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

    private static Path inside(Path root, String name) throws IOException {
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("entry " + name + " would land outside the package directory");
        }
        return target;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temporary directory is harmless and never used.
        }
    }
}
