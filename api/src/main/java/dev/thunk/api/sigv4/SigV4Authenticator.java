package dev.thunk.api.sigv4;

import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;
import dev.thunk.core.access.AccessKey;
import dev.thunk.core.access.AccessKeys;
import dev.thunk.core.access.Caller;
import dev.thunk.core.access.TemporaryCredentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies AWS Signature Version 4, in the {@code Authorization} header or a presigned URL, the way Lambda does:
 * the key must be known, the credential scoped to this region and {@code lambda}, the time within five minutes of
 * now (or, presigned, before the URL expires), and the signature the one the SDK computes over what arrived,
 * compared in constant time. Immutable and thread-safe.
 */
final class SigV4Authenticator implements Authenticator {
    static final String SERVICE = "lambda";
    static final Duration SKEW = Duration.ofMinutes(5);
    static final Duration MAX_EXPIRES = Duration.ofDays(7);
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final String region;
    private final AccessKeys keys;
    private final TemporaryCredentials temporary;
    private final Clock clock;

    SigV4Authenticator(String region, AccessKeys keys, TemporaryCredentials temporary, Clock clock) {
        this.region = region;
        this.keys = keys;
        this.temporary = temporary;
        this.clock = clock;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Caller authenticate(SignedRequest request) {
        List<Map.Entry<String, String>> query = QueryParameters.parse(request.rawQuery());
        Signature claimed = SignatureParser.parse(request, query);
        Optional<String> sessionToken = request.header("x-amz-security-token")
                .or(() -> query.stream().filter(p -> p.getKey().equals("X-Amz-Security-Token"))
                        .map(Map.Entry::getValue).findFirst());
        AccessKey key = sessionToken.isPresent() ? temporaryKey(claimed.accessKeyId(), sessionToken.get())
                : keys.find(claimed.accessKeyId()).orElseThrow(SigV4Authenticator::invalidToken);
        checkScope(claimed);
        checkTime(claimed);
        for (String contentHash : contentHashes(request, claimed)) {
            Optional<String> expected = computed(request, query, claimed, key, contentHash);
            if (expected.isPresent() && MessageDigest.isEqual(expected.get().getBytes(StandardCharsets.US_ASCII),
                    claimed.signature().getBytes(StandardCharsets.US_ASCII))) {
                return new Caller(key.accountId(), key.accessKeyId());
            }
        }
        throw invalid("The request signature we calculated does not match the signature you provided. Check your "
                + "AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /** The key of temporary credentials, if the token is theirs and they have not expired. */
    private AccessKey temporaryKey(String accessKeyId, String token) {
        TemporaryCredentials.Issued issued = temporary.find(accessKeyId)
                .filter(i -> MessageDigest.isEqual(i.sessionToken().getBytes(StandardCharsets.UTF_8),
                        token.getBytes(StandardCharsets.UTF_8)))
                .orElseThrow(SigV4Authenticator::invalidToken);
        if (!clock.instant().isBefore(issued.expires())) {
            throw new LambdaException(ErrorCode.ExpiredTokenException,
                    "The security token included in the request is expired");
        }
        return issued.key();
    }

    private static LambdaException invalidToken() {
        return new LambdaException(ErrorCode.UnrecognizedClientException,
                "The security token included in the request is invalid.");
    }

    /** Whatever in a hostile request upsets the SDK's canonicalisation is a signature that cannot match. */
    private static Optional<String> computed(SignedRequest request, List<Map.Entry<String, String>> query,
                                             Signature claimed, AccessKey key, String contentHash) {
        try {
            return SdkSignatures.compute(request, query, claimed, key, contentHash);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void checkScope(Signature s) {
        if (!s.signedHeaders().contains("host")) {
            throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (!s.amzDate().startsWith(s.scopeDate())) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + s.scopeDate() + "' != '" + s.amzDate().substring(0, 8) + "', from '" + s.amzDate() + "'.");
        }
        if (!s.region().equals(region)) {
            throw invalid("Credential should be scoped to a valid region. ");
        }
        if (!s.service().equals(SERVICE)) {
            throw invalid("Credential should be scoped to correct service: '" + SERVICE + "'. ");
        }
        if (!s.terminator().equals("aws4_request")) {
            throw invalid("Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + s.terminator() + "'. ");
        }
    }

    private void checkTime(Signature s) {
        Instant now = clock.instant();
        if (s.signedAt().isAfter(now.plus(SKEW))) {
            throw invalid("Signature not yet current: " + s.amzDate() + " is still later than "
                    + format(now.plus(SKEW)) + " (" + format(now) + " + 5 min.)");
        }
        if (s.expires().isEmpty()) {
            if (s.signedAt().isBefore(now.minus(SKEW))) {
                throw invalid("Signature expired: " + s.amzDate() + " is now earlier than " + format(now.minus(SKEW))
                        + " (" + format(now) + " - 5 min.)");
            }
            return;
        }
        Duration expires = s.expires().get();
        if (expires.compareTo(Duration.ofSeconds(1)) < 0 || expires.compareTo(MAX_EXPIRES) > 0) {
            throw invalid("X-Amz-Expires must be between 1 and " + MAX_EXPIRES.toSeconds()
                    + " seconds (a week), not " + expires.toSeconds());
        }
        if (s.signedAt().plus(expires).isBefore(now)) {
            throw invalid("Signature expired: " + s.amzDate() + " is now earlier than " + format(now.minus(expires))
                    + " (" + format(now) + " - " + expires.toSeconds() + " sec.)");
        }
    }

    /**
     * The payload hashes the client may have signed. A presigned URL knows nothing of a body ({@code
     * UNSIGNED-PAYLOAD}, as the SDK and the CLI sign it), unless the SDK hashed one over plain HTTP. In the header
     * form a signed {@code x-amz-content-sha256} must be the body's hash (or {@code UNSIGNED-PAYLOAD}); without it
     * the body's hash is what was signed.
     */
    private static List<String> contentHashes(SignedRequest request, Signature s) {
        if (s.presigned()) {
            return List.of(UNSIGNED_PAYLOAD, sha256(request.body()));
        }
        if (!s.signedHeaders().contains("x-amz-content-sha256")) {
            return List.of(sha256(request.body()));
        }
        String declared = request.header("x-amz-content-sha256").orElse("");
        if (declared.equals(UNSIGNED_PAYLOAD) || declared.equalsIgnoreCase(sha256(request.body()))) {
            return List.of(declared);
        }
        // The body is not the one that was signed.
        return List.of();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String format(Instant instant) {
        return SignatureParser.AMZ_DATE.format(instant);
    }

    private static LambdaException invalid(String message) {
        return new LambdaException(ErrorCode.InvalidSignatureException, message);
    }
}
