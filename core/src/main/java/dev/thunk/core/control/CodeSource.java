package dev.thunk.core.control;

import java.util.Optional;

/**
 * Where a request says the code comes from. Thunk takes the zip inline ({@code ZipFile}); S3 locations and
 * container images are named so they can be refused with a clear message.
 */
public record CodeSource(Optional<byte[]> zipFile, boolean s3, boolean image) {
    public static CodeSource zip(byte[] zip) {
        return new CodeSource(Optional.of(zip), false, false);
    }
}
