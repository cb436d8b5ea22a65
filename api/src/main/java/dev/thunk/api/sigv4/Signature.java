package dev.thunk.api.sigv4;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a request claims about its signature, read from the {@code Authorization} header or from a presigned URL's
 * {@code X-Amz-*} parameters, before anything is checked.
 *
 * @param scopeDate     the date of the credential scope ({@code yyyyMMdd})
 * @param signedAt      the request's {@code X-Amz-Date}
 * @param signedHeaders the lower-case header names the client signed, as it listed them
 * @param expires       how long a presigned URL stays valid; empty for the header form
 */
record Signature(String accessKeyId, String scopeDate, String region, String service, String terminator,
                 List<String> signedHeaders, String signature, Instant signedAt, String amzDate,
                 Optional<Duration> expires) {

    boolean presigned() {
        return expires.isPresent();
    }
}
