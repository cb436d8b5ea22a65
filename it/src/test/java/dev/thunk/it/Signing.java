package dev.thunk.it;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.profiles.ProfileFile;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signing for tests that send requests by hand: the credentials a server wrote into its data directory, read with
 * the SDK's own profile reader (so the file is checked to be a real AWS credentials file), and requests signed by
 * the SDK's public SigV4 signer, at any clock.
 */
final class Signing {
    private static final List<String> SET_BY_HTTP_CLIENT = List.of("host", "content-length");

    private Signing() {
    }

    /** The credentials of {@code profile} in the AWS shared-credentials file {@code file}. */
    static AwsCredentialsProvider profile(Path file, String profile) {
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName(profile)
                .build();
    }

    static AwsCredentialsIdentity identity(AwsCredentialsProvider provider) {
        return provider.resolveCredentials();
    }

    /** {@code request}'s headers after signing it for lambda in us-east-1 at {@code clock}'s time. */
    static SdkHttpRequest sign(AwsCredentialsIdentity identity, SdkHttpRequest request, byte[] body, Clock clock) {
        return AwsV4HttpSigner.create().sign(r -> r.identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.SIGNING_CLOCK, clock)).request();
    }

    /** A JDK request carrying {@code body} and the signature of {@code identity}. */
    static HttpRequest.Builder request(AwsCredentialsIdentity identity, String method, URI uri,
                                       Map<String, String> headers, byte[] body, Clock clock) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(unsigned::putHeader);
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).method(method, body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        sign(identity, unsigned.build(), body, clock).forEachHeader((name, values) -> {
            if (!SET_BY_HTTP_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return out;
    }

    static HttpRequest.Builder request(AwsCredentialsIdentity identity, String method, URI uri,
                                       Map<String, String> headers, byte[] body) {
        return request(identity, method, uri, headers, body, Clock.systemUTC());
    }
}
