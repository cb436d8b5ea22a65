package dev.thunk.api.sigv4;

import dev.thunk.core.access.AccessKey;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4Properties;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigningResult;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recomputes a request's signature with the AWS SDK's own SigV4 implementation, so Thunk's canonical request is
 * the SDK's (path double-encoding and normalisation, query and header canonicalisation), never a second one.
 *
 * <p>It drives the SDK's request signer below {@code AwsV4HttpSigner}, with the content hash given: the public
 * signer always adds and signs an {@code x-amz-content-sha256} header, which clients other than the Java SDK (the
 * AWS CLI among them) neither send nor sign for Lambda, so its signature could not match theirs. Those classes
 * are the SDK's internals; the SDK's version is pinned in the parent POM, and the tests sign with the public
 * signer, the SDK client and the AWS CLI, so a change underneath fails the build rather than the users.
 */
final class SdkSignatures {
    private SdkSignatures() {
    }

    /**
     * The signature the client should have sent, if it signed what arrived; empty when the arrived request cannot
     * be the one signed (a signed header is missing, or the path is not a URI path).
     */
    static Optional<String> compute(SignedRequest request, List<Map.Entry<String, String>> query,
                                    Signature claimed, AccessKey key, String contentHash) {
        SdkHttpRequest.Builder canonical;
        try {
            canonical = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.fromValue(request.method()))
                    .protocol("http")
                    // Only the path goes into the canonical request; the host comes from the signed Host header.
                    .host("localhost")
                    .encodedPath(request.rawPath());
            canonical.build().getUri();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> parameter : query) {
            if (!(claimed.presigned() && parameter.getKey().equals("X-Amz-Signature"))) {
                canonical.appendRawQueryParameter(parameter.getKey(), parameter.getValue());
            }
        }
        for (String name : claimed.signedHeaders()) {
            List<String> values = request.headers().get(name);
            if (values == null) {
                return Optional.empty();
            }
            canonical.putHeader(name, values);
        }
        V4Properties properties = V4Properties.builder()
                .credentials(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .credentialScope(new CredentialScope(claimed.region(), claimed.service(), claimed.signedAt()))
                .signingClock(Clock.fixed(claimed.signedAt(), ZoneOffset.UTC))
                .doubleUrlEncode(true)
                .normalizePath(true)
                .build();
        V4RequestSigningResult result = new DefaultV4RequestSigner(properties, contentHash).sign(canonical);
        // Headers the SDK never signs (User-Agent, Expect...) would drop out of its list: then it cannot match.
        if (!result.getCanonicalRequest().getSignedHeadersString().equals(String.join(";", claimed.signedHeaders()))) {
            return Optional.empty();
        }
        return Optional.of(result.getSignature());
    }
}
