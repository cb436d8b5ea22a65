package dev.thunk.core;

/**
 * A stored deployment package. Packages are content-addressed: {@code blobId} is the hex SHA-256 of the zip,
 * {@code sha256} the same digest in base64 as AWS prints it in {@code CodeSha256}.
 */
public record CodeInfo(String sha256, String blobId, long size, long unzippedSize) {
}
