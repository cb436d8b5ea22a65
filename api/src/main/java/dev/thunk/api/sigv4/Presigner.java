package dev.thunk.api.sigv4;

import dev.thunk.core.access.AccessKey;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Makes presigned GET URLs with the AWS SDK's signer, for links handed to callers that fetch them without
 * credentials, as AWS hands out presigned S3 URLs ({@code Code.Location}). Thread-safe.
 */
public final class Presigner {
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsIdentity identity;
    private final String region;
    private final Clock clock;

    private Presigner(AccessKey key, String region, Clock clock) {
        this.identity = AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey());
        this.region = region;
        this.clock = clock;
    }

    /** Signs with {@code key}; the URLs are checked like any presigned request, so the key's account is the caller. */
    public static Presigner create(AccessKey key, String region, Clock clock) {
        return new Presigner(key, region, clock);
    }

    public URI presignGet(URI url, Duration validFor) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(url).build();
        return signer.sign(r -> r.identity(identity)
                        .request(request)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SigV4Authenticator.SERVICE)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, validFor)
                        .putProperty(AwsV4FamilyHttpSigner.SIGNING_CLOCK, clock))
                .request().getUri();
    }
}
