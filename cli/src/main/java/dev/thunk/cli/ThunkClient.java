package dev.thunk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Lambda control plane, Invoke and Thunk's log endpoint over plain HTTP/1.1, each request signed by the
 * {@link RequestSigner} it is given. Every failure surfaces as a {@link CliException}: {@link AwsError} when the
 * server refused, a plain one when it could not be reached. Thread-safe.
 */
final class ThunkClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTIONS = "/2015-03-31/functions";
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(60);

    /** A page of ListFunctions. */
    record Page(List<FunctionInfo> functions, Optional<String> nextMarker) {
    }

    /** What Invoke answered: the payload, and the function's error type and log tail when there are any. */
    record Invocation(byte[] payload, Optional<String> functionError, Optional<String> logTail) {
    }

    private final String endpoint;
    private final RequestSigner signer;
    private final HttpClient http;

    ThunkClient(String endpoint, RequestSigner signer) {
        this.endpoint = endpoint;
        this.signer = signer;
        try {
            URI uri = URI.create(endpoint);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw CliException.usage("endpoint must be an http:// or https:// URL, not '" + endpoint + "'");
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage("endpoint must be an http:// or https:// URL, not '" + endpoint + "'");
        }
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    String endpoint() {
        return endpoint;
    }

    /** GetFunctionConfiguration, or empty when there is no such function. */
    Optional<FunctionInfo> find(String name) {
        try {
            return Optional.of(configuration(name));
        } catch (AwsError e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    FunctionInfo configuration(String name) {
        return FunctionInfo.from(json(request("GET", FUNCTIONS + "/" + segment(name) + "/configuration", null)));
    }

    FunctionInfo create(ObjectNode body) {
        return FunctionInfo.from(json(request("POST", FUNCTIONS, body)));
    }

    FunctionInfo updateCode(String name, byte[] zip) {
        ObjectNode body = JSON.createObjectNode().put("ZipFile", Base64.getEncoder().encodeToString(zip));
        return FunctionInfo.from(json(request("PUT", FUNCTIONS + "/" + segment(name) + "/code", body)));
    }

    FunctionInfo updateConfiguration(String name, ObjectNode body) {
        return FunctionInfo.from(json(request("PUT", FUNCTIONS + "/" + segment(name) + "/configuration", body)));
    }

    void delete(String name) {
        send(request("DELETE", FUNCTIONS + "/" + segment(name), null), HttpResponse.BodyHandlers.ofByteArray());
    }

    Page list(Optional<String> marker) {
        String query = marker.map(m -> "?Marker=" + segment(m)).orElse("");
        JsonNode page = json(request("GET", FUNCTIONS + "/" + query, null));
        List<FunctionInfo> functions = new ArrayList<>();
        page.path("Functions").forEach(f -> functions.add(FunctionInfo.from(f)));
        JsonNode next = page.get("NextMarker");
        return new Page(functions, next == null || next.isNull() || next.asText().isEmpty()
                ? Optional.empty() : Optional.of(next.asText()));
    }

    Invocation invoke(String name, byte[] payload, boolean tail) {
        HttpRequest.Builder request = signer.request("POST",
                URI.create(endpoint + FUNCTIONS + "/" + segment(name) + "/invocations"), invocationHeaders(tail),
                payload);
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Invocation(response.body(), response.headers().firstValue("X-Amz-Function-Error"),
                response.headers().firstValue("X-Amz-Log-Result"));
    }

    /** A synchronous invocation's headers, with the log tail asked for when {@code tail}. */
    private static Map<String, String> invocationHeaders(boolean tail) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Invocation-Type", "RequestResponse");
        if (tail) {
            headers.put("X-Amz-Log-Type", "Tail");
        }
        return headers;
    }

    /** How a streamed invocation ended: InvokeWithResponseStream's {@code InvokeComplete} event. */
    record StreamedInvocation(Optional<String> errorCode, Optional<String> errorDetails, Optional<String> logTail) {
    }

    /**
     * InvokeWithResponseStream: each chunk of the answer goes to {@code chunks} as it arrives; returns how the
     * invocation ended. A function that does not stream answers in one chunk.
     */
    StreamedInvocation invokeStreaming(String name, byte[] payload, boolean tail,
                                       java.util.function.Consumer<byte[]> chunks) {
        HttpRequest.Builder request = signer.request("POST", URI.create(endpoint + "/2021-11-15/functions/"
                + segment(name) + "/response-streaming-invocations"), invocationHeaders(tail), payload);
        HttpResponse<java.io.InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = response.body()) {
            EventStreamReader events = new EventStreamReader(body);
            for (Optional<EventStreamReader.Message> event = events.next(); event.isPresent(); event = events.next()) {
                switch (event.get().header(":event-type")) {
                    case "PayloadChunk" -> chunks.accept(event.get().payload());
                    case "InvokeComplete" -> {
                        JsonNode complete = JSON.readTree(event.get().payload());
                        return new StreamedInvocation(text(complete, "ErrorCode"), text(complete, "ErrorDetails"),
                                text(complete, "LogResult"));
                    }
                    default -> { } // an event this client does not know: skipped
                }
            }
        } catch (IOException e) {
            throw new CliException("the answer of " + name + " broke off: " + e.getMessage(), e);
        }
        throw CliException.failed("the answer of " + name + " ended without its InvokeComplete event");
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node != null && node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    /**
     * The function's log records as NDJSON lines, read as they arrive. With {@code follow} the stream ends only
     * when the server closes it; closing the stream disconnects.
     */
    Stream<String> logs(String name, long startMillis, boolean follow) {
        HttpRequest.Builder request = signer.request("GET", URI.create(endpoint + "/thunk/logs/" + segment(name)
                + "?start=" + startMillis + "&follow=" + follow), Map.of("Accept", "application/x-ndjson"), new byte[0]);
        return send(request, HttpResponse.BodyHandlers.ofLines()).body();
    }

    /** A signed control-plane request with a JSON body, or none when {@code body} is null. */
    private HttpRequest.Builder request(String method, String path, JsonNode body) {
        byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
        return signer.request(method, URI.create(endpoint + path), Map.of("Content-Type", "application/json"), bytes)
                .timeout(CONTROL_TIMEOUT);
    }

    private JsonNode json(HttpRequest.Builder request) {
        byte[] body = send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw CliException.failed("the server at " + endpoint + " answered something that is not JSON: "
                    + snippet(new String(body, StandardCharsets.UTF_8)));
        }
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler) {
        HttpRequest request = builder.build();
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (ConnectException e) {
            throw new CliException("no Thunk server at " + endpoint + " (start one with ./thunk server)", e);
        } catch (HttpConnectTimeoutException e) {
            throw new CliException("no Thunk server answering at " + endpoint + " (connecting timed out)", e);
        } catch (IOException e) {
            throw new CliException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + endpoint, e);
        }
        if (response.statusCode() / 100 == 2) {
            return response;
        }
        throw refusal(request, response);
    }

    private static CliException refusal(HttpRequest request, HttpResponse<?> response) {
        String body = switch (response.body()) {
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            case java.io.InputStream stream -> {
                try (stream) {
                    yield new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    yield "";
                }
            }
            case Stream<?> lines -> {
                try (lines) {
                    yield lines.map(Object::toString).collect(Collectors.joining("\n"));
                }
            }
            case null, default -> "";
        };
        Optional<String> type = response.headers().firstValue("x-amzn-ErrorType");
        if (type.isPresent()) {
            // AWS may append ":<documentation URL>" to the type.
            String name = type.get().split(":", 2)[0];
            return new AwsError(name, message(body), response.statusCode());
        }
        return CliException.failed(request.method() + " " + request.uri().getRawPath() + " answered HTTP "
                + response.statusCode() + (body.isBlank() ? "" : ": " + snippet(body)));
    }

    private static String message(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            for (String field : List.of("message", "Message", "errorMessage")) {
                if (json != null && json.hasNonNull(field)) {
                    return json.get(field).asText();
                }
            }
        } catch (IOException e) {
            // Not JSON: the body itself is the best explanation there is.
        }
        return snippet(body);
    }

    private static String snippet(String text) {
        String flat = text.strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, so ARNs and odd names survive. */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
