package dev.thunk.api;

import dev.thunk.api.sigv4.Presigner;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where callers download a stored package ({@code Code.Location}, {@code Content.Location}). With request signing
 * on, a link is presigned for ten minutes, like AWS's presigned S3 URLs, so a plain GET works and a changed or
 * stale link does not; with {@code --no-auth} it is the plain path. Thread-safe.
 */
public final class CodeLinks {
    static final Duration VALID_FOR = Duration.ofMinutes(10);

    private final Optional<Presigner> presigner;

    private CodeLinks(Optional<Presigner> presigner) {
        this.presigner = presigner;
    }

    public static CodeLinks presigned(Presigner presigner) {
        return new CodeLinks(Optional.of(presigner));
    }

    public static CodeLinks plain() {
        return new CodeLinks(Optional.empty());
    }

    String location(String baseUrl, String blobId) {
        URI url = URI.create(baseUrl + CodeRoutes.PATH + blobId + ".zip");
        return presigner.map(p -> p.presignGet(url, VALID_FOR)).orElse(url).toString();
    }
}
