package dev.thunk.store;

import dev.thunk.core.CodeInfo;
import dev.thunk.core.CodeStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keeps each deployment package once, as {@code <root>/<first two hex digits>/<sha256 hex>.zip}. A package is
 * written to a temporary file, forced to disk and renamed into place, so a crash never leaves a torn package
 * under its final name. Thread-safe: writers of the same content race harmlessly to the same bytes.
 */
public final class FileCodeStore implements CodeStore {
    private final Path root;

    public FileCodeStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the code directory " + root, e);
        }
    }

    @Override
    public CodeInfo put(byte[] zip, long unzippedSize) {
        byte[] digest = sha256(zip);
        String blobId = HexFormat.of().formatHex(digest);
        Path target = zip(blobId);
        try {
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                Path temp = Files.createTempFile(target.getParent(), blobId, ".part");
                try {
                    Files.write(temp, zip, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store package " + blobId, e);
        }
        return new CodeInfo(Base64.getEncoder().encodeToString(digest), blobId, zip.length, unzippedSize);
    }

    @Override
    public Path zip(String blobId) {
        if (!blobId.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a package id: " + blobId);
        }
        return root.resolve(blobId.substring(0, 2)).resolve(blobId + ".zip");
    }

    @Override
    public void delete(String blobId) {
        try {
            Files.deleteIfExists(zip(blobId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete package " + blobId, e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
