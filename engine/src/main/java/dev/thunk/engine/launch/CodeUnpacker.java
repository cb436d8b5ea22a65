package dev.thunk.engine.launch;

import dev.thunk.core.CodeStore;

import java.nio.file.Path;

/**
 * Unpacks stored packages on first use into {@code <root>/<blobId>/}, shared by every environment of every
 * function with the same code. Unpacking goes to a temporary directory renamed into place, so a directory under its
 * final name is always complete. Entries that would land outside the directory, symlinks that point outside it,
 * and packages that unpack to more than the limit (zip bombs) are refused ({@link ZipExtractor}). Thread-safe.
 */
public final class CodeUnpacker {
    private final CodeStore code;
    private final BuiltDirectories directories;
    private final long maxUnpackedBytes;

    public CodeUnpacker(CodeStore code, Path root, long maxUnpackedBytes) {
        this.code = code;
        this.directories = new BuiltDirectories(root);
        this.maxUnpackedBytes = maxUnpackedBytes;
    }

    /**
     * The unpacked directory of a package, unpacking it now if this is its first use. Environments that need the
     * same package at once (a burst of cold starts) wait for one unpacking instead of each doing it.
     */
    public Path unpacked(String blobId) {
        return directories.get(blobId,
                into -> new ZipExtractor(into, maxUnpackedBytes).extract(code.zip(blobId)));
    }
}
