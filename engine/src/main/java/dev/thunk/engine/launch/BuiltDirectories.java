package dev.thunk.engine.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Directories under {@code <root>/<key>/} that are built once, on first use, and then shared. Each is built in a
 * temporary directory renamed into place, so a directory under its final name is always complete; callers that
 * want the same key at once (a burst of cold starts) wait for one build instead of each doing it. Thread-safe.
 */
final class BuiltDirectories {
    /** Fills a fresh, empty directory; throwing leaves nothing under the final name. */
    @FunctionalInterface
    interface Builder {
        void build(Path emptyDirectory) throws IOException;
    }

    private final Path root;
    private final ConcurrentHashMap<String, ReentrantLock> building = new ConcurrentHashMap<>();

    BuiltDirectories(Path root) {
        this.root = root;
    }

    /** The directory of {@code key}, built by {@code builder} now if this is its first use. */
    Path get(String key, Builder builder) {
        Path target = root.resolve(key);
        if (Files.isDirectory(target)) {
            return target;
        }
        // A lock, not a monitor: on JDK 21 a virtual thread waiting on a monitor would pin its carrier.
        ReentrantLock lock = building.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            return Files.isDirectory(target) ? target : build(key, target, builder);
        } finally {
            lock.unlock();
        }
    }

    private Path build(String key, Path target, Builder builder) {
        Path temp = root.resolve(key + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp);
            builder.build(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // A directory under the final name is complete (it was renamed into place whole): use it.
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                FileTrees.deleteQuietly(temp);
            }
            return target;
        } catch (IOException e) {
            FileTrees.deleteQuietly(temp);
            throw new UncheckedIOException("cannot build " + key + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            FileTrees.deleteQuietly(temp);
            throw e;
        }
    }
}
