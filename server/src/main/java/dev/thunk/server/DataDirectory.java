package dev.thunk.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data directory, held with an exclusive lock for as long as the server runs, so two servers never share one
 * database. The lock goes with the process, even when it is killed.
 */
final class DataDirectory implements AutoCloseable {
    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static DataDirectory open(Path root) {
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve("thunk.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another Thunk server is using the data directory " + root);
            }
            return new DataDirectory(root, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the data directory " + root, e);
        }
    }

    /** The key that seals secrets in the database (mode 0600). */
    Path secretKey() {
        return root.resolve("secret.key");
    }

    Path database() {
        return root.resolve("thunk.db");
    }

    Path code() {
        return root.resolve("code");
    }

    Path unpacked() {
        return root.resolve("code/unpacked");
    }

    Path logs() {
        return root.resolve("logs");
    }

    /** Stem cells' code, layer and output files ({@code StemCells}); on the file system of {@link #logs}. */
    Path cells() {
        return root.resolve("cells");
    }

    Path runtimes() {
        return root.resolve("runtimes");
    }

    /** Where environments' {@code /opt} directories are assembled from their layers ({@code LayerAssembler}). */
    Path opt() {
        return root.resolve("opt");
    }

    /** The access keys as an AWS shared-credentials file ({@link CredentialsFile}). */
    Path credentials() {
        return root.resolve("aws-credentials");
    }

    Path root() {
        return root;
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
