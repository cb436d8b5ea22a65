package dev.thunk.core.control;

import dev.thunk.core.CodeInfo;
import dev.thunk.core.CodeStore;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The control plane's one view of the content-addressed {@link CodeStore}: functions, their versions and layer
 * versions may all hold the same package, so a package is deleted only when every holder's count says none is
 * left. Thread-safe.
 *
 * <p>Storing a package and committing whoever uses it happen under {@link #whileStoring}, and a release checks
 * the counts under the exclusive side of the same lock, so a package is never deleted between being stored (or
 * looked up in a layer) and being committed as used.
 */
public final class StoredPackages {
    private final CodeStore code;
    private final List<ToIntFunction<String>> holders;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** @param holders each counts how many of its records use a package, given the package's blob id */
    public StoredPackages(CodeStore code, List<ToIntFunction<String>> holders) {
        this.code = code;
        this.holders = List.copyOf(holders);
    }

    /** Runs {@code work}, which stores packages or starts using them, so that no release deletes them meanwhile. */
    <T> T whileStoring(Supplier<T> work) {
        lock.readLock().lock();
        try {
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Stores a package; call inside {@link #whileStoring} together with the commit that uses it. */
    CodeInfo put(byte[] zip, long unzippedSize) {
        return code.put(zip, unzippedSize);
    }

    Path zip(String blobId) {
        return code.zip(blobId);
    }

    /** Deletes the package if no function, version or layer version uses it any more. */
    void releaseIfUnused(String blobId) {
        lock.writeLock().lock();
        try {
            if (holders.stream().mapToInt(h -> h.applyAsInt(blobId)).sum() == 0) {
                code.delete(blobId);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
