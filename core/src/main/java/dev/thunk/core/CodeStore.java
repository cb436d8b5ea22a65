package dev.thunk.core;

import java.nio.file.Path;

/**
 * Content-addressed store of deployment packages: a zip is kept once however many functions use it.
 * Thread-safe. Writes are atomic: a reader never sees a half-written package.
 */
public interface CodeStore {

    /** Stores the package if it is not there yet and describes it. */
    CodeInfo put(byte[] zip, long unzippedSize);

    /** Where the zip of a stored package lies. */
    Path zip(String blobId);

    /** Removes a package nobody uses any more; absent packages are ignored. */
    void delete(String blobId);
}
