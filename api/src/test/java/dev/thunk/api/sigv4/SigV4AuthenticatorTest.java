package dev.thunk.api.sigv4;

import dev.thunk.core.Account;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;
import dev.thunk.core.access.AccessKey;
import dev.thunk.core.access.AccessKeys;
import dev.thunk.core.access.Caller;
import dev.thunk.core.access.TemporaryCredentials;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests signed by the SDK's public signer, checked the way they arrive at the server. */
class SigV4AuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    private static final AccessKey KEY = AccessKey.generate("000000000000", new SecureRandom());
    /** Issued an hour before NOW, for two hours. */
    private static final TemporaryCredentials TEMPORARY = new TemporaryCredentials(
            Clock.fixed(NOW.minus(Duration.ofHours(1)), ZoneOffset.UTC), Duration.ofHours(2));
    private static final Authenticator AUTH = Authenticator.sigV4(new Account("us-east-1", "000000000000"),
            AccessKeys.of(List.of(KEY)), TEMPORARY, Clock.fixed(NOW, ZoneOffset.UTC));
    private static final URI URL = URI.create(
            "http://127.0.0.1:9000/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations?Qualifier=live");
    private static final byte[] BODY = "{\"a\": \"b c\"}".getBytes(StandardCharsets.UTF_8);

    private static SignedRequest sign(AccessKey key, String region, Instant at, byte[] body) {
        return sign(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()), region, at, body);
    }

    private static SignedRequest sign(AwsCredentialsIdentity identity, String region, Instant at, byte[] body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URL)
                .putHeader("Content-Type", "application/json").putHeader("Content-Length", "" + body.length).build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    }

    /** The request as the server sees it: Host header, raw path and query, lower-case header names. */
    private static dev.thunk.api.sigv4.SignedRequest arrived(SdkHttpRequest signed, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        headers.putIfAbsent("host", List.of(signed.host() + ":" + signed.port()));
        URI uri = signed.getUri();
        return new dev.thunk.api.sigv4.SignedRequest(signed.method().name(), uri.getRawPath(),
                uri.getRawQuery() == null ? "" : uri.getRawQuery(), headers, body);
    }

    private static ErrorCode refusal(dev.thunk.api.sigv4.SignedRequest request) {
        return assertThrows(LambdaException.class, () -> AUTH.authenticate(request)).code();
    }

    @Test
    void aRequestSignedWithAKnownKeyIsItsAccount() {
        Caller caller = AUTH.authenticate(arrived(sign(KEY, "us-east-1", NOW.minusSeconds(60), BODY).request(), BODY));
        assertEquals(new Caller("000000000000", KEY.accessKeyId()), caller);
    }

    @Test
    void aChangedBodyPathOrKeyIsRefused() {
        SdkHttpRequest signed = sign(KEY, "us-east-1", NOW, BODY).request();
        assertEquals(ErrorCode.InvalidSignatureException, refusal(arrived(signed, "{}".getBytes())));
        assertEquals(ErrorCode.InvalidSignatureException,
                refusal(arrived(signed.toBuilder().encodedPath("/2015-03-31/functions/g/invocations").build(), BODY)));
        AccessKey forged = new AccessKey(KEY.accessKeyId(), "x".repeat(40), "000000000000");
        assertEquals(ErrorCode.InvalidSignatureException,
                refusal(arrived(sign(forged, "us-east-1", NOW, BODY).request(), BODY)));
        AccessKey unknown = AccessKey.generate("000000000000", new SecureRandom());
        assertEquals(ErrorCode.UnrecognizedClientException,
                refusal(arrived(sign(unknown, "us-east-1", NOW, BODY).request(), BODY)));
    }

    /** An environment's credentials: their key with their session token, until they expire. */
    @Test
    void temporaryCredentialsNeedTheirTokenAndExpire() {
        TemporaryCredentials.Issued issued = TEMPORARY.issue("000000000000");
        AccessKey key = issued.key();
        Caller caller = AUTH.authenticate(arrived(sign(AwsSessionCredentialsIdentity.create(key.accessKeyId(),
                key.secretAccessKey(), issued.sessionToken()), "us-east-1", NOW, BODY).request(), BODY));
        assertEquals(new Caller("000000000000", key.accessKeyId()), caller);

        assertEquals(ErrorCode.UnrecognizedClientException, refusal(arrived(sign(key, "us-east-1", NOW, BODY)
                .request(), BODY)), "without its token");
        assertEquals(ErrorCode.UnrecognizedClientException, refusal(arrived(sign(AwsSessionCredentialsIdentity
                .create(key.accessKeyId(), key.secretAccessKey(), issued.sessionToken() + "x"), "us-east-1", NOW,
                BODY).request(), BODY)), "with another token");
        assertEquals(ErrorCode.UnrecognizedClientException, refusal(arrived(sign(AwsSessionCredentialsIdentity
                .create(KEY.accessKeyId(), KEY.secretAccessKey(), issued.sessionToken()), "us-east-1", NOW, BODY)
                .request(), BODY)), "a long-term key with a token");

        TemporaryCredentials old = new TemporaryCredentials(
                Clock.fixed(NOW.minus(Duration.ofHours(3)), ZoneOffset.UTC), Duration.ofHours(2));
        TemporaryCredentials.Issued expired = old.issue("000000000000");
        Authenticator later = Authenticator.sigV4(new Account("us-east-1", "000000000000"),
                AccessKeys.of(List.of(KEY)), old, Clock.fixed(NOW, ZoneOffset.UTC));
        LambdaException e = assertThrows(LambdaException.class, () -> later.authenticate(arrived(sign(
                AwsSessionCredentialsIdentity.create(expired.key().accessKeyId(), expired.key().secretAccessKey(),
                        expired.sessionToken()), "us-east-1", NOW, BODY).request(), BODY)));
        assertEquals(ErrorCode.ExpiredTokenException, e.code());
    }

    @Test
    void theClockAndTheScopeAreChecked() {
        LambdaException late = assertThrows(LambdaException.class, () -> AUTH.authenticate(
                arrived(sign(KEY, "us-east-1", NOW.minus(Duration.ofMinutes(20)), BODY).request(), BODY)));
        assertEquals("Signature expired: 20260304T044607Z is now earlier than 20260304T050107Z "
                + "(20260304T050607Z - 5 min.)", late.getMessage());
        assertEquals(ErrorCode.InvalidSignatureException,
                refusal(arrived(sign(KEY, "us-east-1", NOW.plus(Duration.ofMinutes(6)), BODY).request(), BODY)));
        LambdaException region = assertThrows(LambdaException.class, () -> AUTH.authenticate(
                arrived(sign(KEY, "eu-west-1", NOW, BODY).request(), BODY)));
        assertTrue(region.getMessage().startsWith("Credential should be scoped to a valid region"));
    }

    @Test
    void nothingOrHalfASignatureIsRefusedAsAwsDoes() {
        SdkHttpRequest plain = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URL).build();
        assertEquals(ErrorCode.MissingAuthenticationTokenException, refusal(arrived(plain, new byte[0])));
        SdkHttpRequest half = plain.toBuilder().putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=x").build();
        assertEquals(ErrorCode.IncompleteSignatureException, refusal(arrived(half, new byte[0])));
    }

    @Test
    void aPresignedUrlWorksUntilItExpiresAndNotOnceChanged() {
        URI url = Presigner.create(KEY, "us-east-1", Clock.fixed(NOW.minusSeconds(30), ZoneOffset.UTC))
                .presignGet(URI.create("http://127.0.0.1:9000/thunk/code/abc.zip"), Duration.ofMinutes(10));
        SdkHttpRequest get = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(url).build();
        assertEquals("000000000000", AUTH.authenticate(arrived(get, new byte[0])).accountId());
        SdkHttpRequest tampered = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(url.toString().replace("abc.zip", "abd.zip"))).build();
        assertEquals(ErrorCode.InvalidSignatureException, refusal(arrived(tampered, new byte[0])));
        URI old = Presigner.create(KEY, "us-east-1", Clock.fixed(NOW.minus(Duration.ofMinutes(11)), ZoneOffset.UTC))
                .presignGet(URI.create("http://127.0.0.1:9000/thunk/code/abc.zip"), Duration.ofMinutes(10));
        assertEquals(ErrorCode.InvalidSignatureException,
                refusal(arrived(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(old).build(), new byte[0])));
    }
}
