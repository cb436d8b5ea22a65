package dev.thunk.cli;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Signs the CLI's requests with AWS Signature Version 4, using the AWS SDK's signer, for service {@code lambda} in
 * the server's region ({@code --region}, else {@code $THUNK_REGION}, else {@code us-east-1}). Without credentials
 * it leaves requests unsigned. Thread-safe.
 */
final class RequestSigner {
    /** Headers the JDK's client sets itself and refuses from callers; the SDK's signer adds Host the same way. */
    private static final List<String> SET_BY_CLIENT = List.of("host", "content-length");

    private final Optional<AwsCredentialsIdentity> identity;
    private final String region;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    RequestSigner(Optional<Credentials> credentials, String region) {
        this.identity = credentials.map(c -> AwsCredentialsIdentity.create(c.accessKeyId(), c.secretAccessKey()));
        this.region = region;
    }

    static RequestSigner of(Args args, Session session) {
        String region = args.value("region").orElseGet(() -> {
            String fromEnv = session.env().get("THUNK_REGION");
            return fromEnv == null || fromEnv.isBlank() ? "us-east-1" : fromEnv.strip();
        });
        return new RequestSigner(Credentials.find(args, session), region);
    }

    /** A request carrying {@code headers}, {@code body} and, when there are credentials, its signature. */
    HttpRequest.Builder request(String method, URI uri, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder out = HttpRequest.newBuilder(uri)
                .method(method, body.length == 0 && !method.equals("POST") && !method.equals("PUT")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (identity.isEmpty()) {
            headers.forEach(out::header);
            return out;
        }
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(unsigned::putHeader);
        SdkHttpRequest signed = signer.sign(r -> r.identity(identity.get())
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        signed.forEachHeader((name, values) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> out.header(name, value));
            }
        });
        return out;
    }
}
