package dev.thunk.api.sigv4;

import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a request's SigV4 claims from its {@code Authorization} header or, for a presigned URL, its query string.
 * Refuses, with AWS's errors and wording, a request that carries none ({@code MissingAuthenticationToken}) or an
 * incomplete one ({@code IncompleteSignature}). Stateless.
 */
final class SignatureParser {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final List<String> QUERY_PARAMETERS = List.of("X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires");

    private SignatureParser() {
    }

    static Signature parse(SignedRequest request, List<Map.Entry<String, String>> query) {
        Optional<String> authorization = request.header("authorization");
        if (authorization.isPresent()) {
            return fromHeader(authorization.get(), request);
        }
        if (query.stream().anyMatch(p -> p.getKey().equals("X-Amz-Algorithm"))) {
            return fromQuery(query);
        }
        throw new LambdaException(ErrorCode.MissingAuthenticationTokenException, "Missing Authentication Token");
    }

    private static Signature fromHeader(String header, SignedRequest request) {
        Map<String, String> parts = new LinkedHashMap<>();
        String algorithm = header.strip();
        int space = algorithm.indexOf(' ');
        if (space > 0 && algorithm.substring(0, space).equals(ALGORITHM)) {
            for (String part : algorithm.substring(space + 1).split(",")) {
                int equals = part.indexOf('=');
                if (equals > 0) {
                    parts.put(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
                }
            }
        }
        Optional<String> date = request.header("x-amz-date");
        List<String> missing = new ArrayList<>();
        for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parts.containsKey(name)) {
                missing.add("Authorization header requires '" + name + "' parameter.");
            }
        }
        if (date.isEmpty()) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            throw incomplete(String.join(" ", missing) + " Authorization=" + header);
        }
        return build(parts.get("Credential"), parts.get("SignedHeaders"), parts.get("Signature"), date.get(),
                Optional.empty());
    }

    private static Signature fromQuery(List<Map.Entry<String, String>> query) {
        Map<String, String> params = new LinkedHashMap<>();
        query.forEach(p -> params.putIfAbsent(p.getKey(), p.getValue()));
        if (!params.keySet().containsAll(QUERY_PARAMETERS) || !ALGORITHM.equals(params.get("X-Amz-Algorithm"))) {
            throw incomplete("AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
                    + "'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', and 'X-Amz-Expires'. "
                    + "Re-examine the query-string parameters.");
        }
        long seconds;
        try {
            seconds = Long.parseLong(params.get("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            throw incomplete("X-Amz-Expires should be a number of seconds, not '" + params.get("X-Amz-Expires") + "'");
        }
        return build(params.get("X-Amz-Credential"), params.get("X-Amz-SignedHeaders"),
                params.get("X-Amz-Signature"), params.get("X-Amz-Date"), Optional.of(Duration.ofSeconds(seconds)));
    }

    private static Signature build(String credential, String signedHeaders, String signature, String amzDate,
                                   Optional<Duration> expires) {
        String[] scope = credential.split("/", -1);
        if (scope.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/term, got '" + credential + "'");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. "
                    + "See http://en.wikipedia.org/wiki/ISO_8601");
        }
        List<String> headers = Arrays.asList(signedHeaders.split(";", -1));
        return new Signature(scope[0], scope[1], scope[2], scope[3], scope[4], headers, signature, signedAt,
                amzDate, expires);
    }

    private static LambdaException incomplete(String message) {
        return new LambdaException(ErrorCode.IncompleteSignatureException, message);
    }
}
