package dev.thunk.engine.launch;

import dev.thunk.core.CodeStore;
import dev.thunk.core.FunctionLayer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the directory a function's environments see as {@code /opt}: its layers extracted in order into one
 * directory, a later layer's files replacing an earlier one's, as AWS does. Each distinct ordered list of layer
 * contents is assembled once, under {@code <root>/<sha256 of the ordered CodeSha256 list>/}, and shared by every
 * function and version that uses the same list; functions without layers share one empty directory. Extraction
 * has {@link CodeUnpacker}'s safety checks, and the layers together may unpack to no more than the limit.
 * Thread-safe.
 *
 * <p>Assembled directories are never deleted while the server runs (an environment may be using one); those of
 * layer lists nothing uses any more stay on disk until the data directory is cleaned by hand.
 */
public final class LayerAssembler {
    private final CodeStore code;
    private final Path empty;
    private final BuiltDirectories directories;
    private final long maxUnpackedBytes;

    public LayerAssembler(CodeStore code, Path root, long maxUnpackedBytes) {
        this.code = code;
        this.empty = root.resolve("empty");
        this.directories = new BuiltDirectories(root);
        this.maxUnpackedBytes = maxUnpackedBytes;
        try {
            Files.createDirectories(empty);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the layer directory " + root, e);
        }
    }

    /** The assembled directory of these layers, in this order, building it if this is its first use. */
    public Path assembled(List<FunctionLayer> layers) {
        if (layers.isEmpty()) {
            return empty;
        }
        return directories.get(key(layers), into -> {
            ZipExtractor extractor = new ZipExtractor(into, maxUnpackedBytes);
            for (FunctionLayer layer : layers) {
                extractor.extract(code.zip(layer.code().blobId()));
            }
        });
    }

    /** Order matters (later layers win), so the key digests the contents in order. */
    static String key(List<FunctionLayer> layers) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (FunctionLayer layer : layers) {
                digest.update(layer.code().sha256().getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
