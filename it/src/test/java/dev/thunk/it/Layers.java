package dev.thunk.it;

import dev.thunk.testkit.TestZip;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.PublishLayerVersionResponse;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/** Layer packages and publishing for tests. */
final class Layers {
    private Layers() {
    }

    /** A layer whose one file sits at {@code path} inside {@code /opt}. */
    static byte[] file(String path, String content) {
        return TestZip.create().file(path, content).bytes();
    }

    static PublishLayerVersionResponse publish(LambdaClient lambda, String name, byte[] zip) {
        return lambda.publishLayerVersion(b -> b.layerName(name)
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
    }

    /** AWS's {@code CodeSha256}: the package's SHA-256 in base64. */
    static String sha256(byte[] zip) {
        return Base64.getEncoder().encodeToString(digest(zip));
    }

    /** Where the server keeps a package: one file per content, named by its SHA-256. */
    static Path storedPackage(TestServer server, byte[] zip) {
        String hex = HexFormat.of().formatHex(digest(zip));
        return server.dataDir().resolve("code").resolve(hex.substring(0, 2)).resolve(hex + ".zip");
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
