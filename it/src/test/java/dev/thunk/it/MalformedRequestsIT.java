package dev.thunk.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests no SDK would send: bad JSON, wrong types, unknown operations, broken encodings, oversized bodies. Each
 * gets a 4xx with an AWS error type, never a 5xx, and the store is unchanged.
 */
class MalformedRequestsIT extends SharedServerIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Functions.createActive(lambda, Functions.provided("existing").build());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = Signing.request(server.identity(), method, URI.create(server.endpoint() + path),
                java.util.Map.of("Content-Type", "application/json"),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAwsError(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(type, response.headers().firstValue("x-amzn-ErrorType").orElse(""), response.body());
        assertTrue(response.body().startsWith("{") && response.body().toLowerCase().contains("\"message\""), response.body());
    }

    private static String validCreate(String name, String extraField) {
        String zip = Base64.getEncoder().encodeToString(Functions.helloZip());
        return "{\"FunctionName\":\"" + name + "\",\"Runtime\":\"provided.al2023\",\"Handler\":\"b\","
                + "\"Role\":\"" + Functions.ROLE + "\",\"Code\":{\"ZipFile\":\"" + zip + "\"}" + extraField + "}";
    }

    @Test
    void badJsonAndWrongTypesAreSerializationErrors() throws Exception {
        List<String> bodies = List.of(
                "{not json",
                "[1,2,3]",
                "\"a string\"",
                "{\"FunctionName\":\"x\"} trailing",
                validCreate("m1", ",\"MemorySize\":\"abc\""),
                validCreate("m2", ",\"Timeout\":1.5"),
                validCreate("m3", ",\"Timeout\":99999999999"),
                validCreate("m4", ",\"Environment\":{\"Variables\":{\"KEY\":1}}"),
                validCreate("m5", ",\"Tags\":[\"a\"]"),
                validCreate("m6", ",\"Architectures\":\"x86_64\""),
                validCreate("m7", ",\"Publish\":\"yes\""),
                validCreate("m8", ",\"Environment\":[]"),
                "{\"FunctionName\":42}",
                "{\"FunctionName\":\"m9\",\"Code\":{\"ZipFile\":\"!!!not base64!!!\"}}",
                "{\"FunctionName\":\"m10\",\"Code\":\"zip\"}");
        for (String body : bodies) {
            assertAwsError(send("POST", "/2015-03-31/functions", body), 400, "SerializationException");
        }
        assertAwsError(send("PUT", "/2015-03-31/functions/existing/configuration", "{\"MemorySize\":true}"),
                400, "SerializationException");
        assertAwsError(send("PUT", "/2015-03-31/functions/existing/code", "{\"ZipFile\":12}"), 400, "SerializationException");
        assertAwsError(send("POST", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Aexisting",
                "{\"Tags\":\"x\"}"), 400, "SerializationException");
        assertUnchanged();
    }

    @Test
    void unknownOperationsAreNotFound() throws Exception {
        for (String[] call : new String[][]{
                {"GET", "/"}, {"GET", "/2015-03-31"}, {"GET", "/2015-03-31/unknown"},
                {"PATCH", "/2015-03-31/functions"}, {"POST", "/2015-03-31/functions/existing/nothing"},
                {"DELETE", "/2015-03-31/functions"}, {"GET", "/2015-03-31/functions/a/b/c/d"},
                {"GET", "/../../etc/passwd"}, {"GET", "/thunk/code/../thunk.db"}}) {
            assertAwsError(send(call[0], call[1], null), 404, "UnknownOperationException");
        }
        assertUnchanged();
    }

    @Test
    void brokenEncodingsInPathsAndQueriesAreParameterErrors() throws Exception {
        assertRawAwsError(raw("GET", "/2015-03-31/functions/%zz"), 400, "InvalidParameterValueException");
        assertRawAwsError(raw("GET", "/2015-03-31/functions/%ff%fe"), 400, "InvalidParameterValueException");
        assertRawAwsError(raw("GET", "/2015-03-31/functions/abc%"), 400, "InvalidParameterValueException");
        assertAwsError(send("GET", "/2015-03-31/functions/%2e%2e%2fetc", null), 400, "ValidationException");
        assertAwsError(send("GET", "/2015-03-31/functions?MaxItems=abc", null), 400, "InvalidParameterValueException");
        assertAwsError(send("GET", "/2015-03-31/functions/" + "x".repeat(10_000), null), 400, "ValidationException");
        assertUnchanged();
    }

    /** Sends a request line no URI class would build, and returns the raw response. */
    private static String raw(String method, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", URI.create(server.endpoint()).getPort())) {
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertRawAwsError(String response, int status, String type) {
        assertTrue(response.startsWith("HTTP/1.1 " + status), response);
        assertTrue(response.contains("x-amzn-ErrorType: " + type), response);
    }

    @Test
    void hugeBodiesAreTooLargeBeforeBeingRead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", URI.create(server.endpoint()).getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /2015-03-31/functions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("x-amzn-ErrorType: RequestEntityTooLargeException"), response);
            assertTrue(response.contains("Request must be smaller than 70167211 bytes for the CreateFunction operation"), response);
        }
        assertAwsError(send("POST", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Aexisting",
                "{\"Tags\":{\"k\":\"" + "v".repeat(2 << 20) + "\"}}"), 413, "RequestEntityTooLargeException");
        assertUnchanged();
    }

    @Test
    void clientsThatExpectContinueAreToldToSendTheBody() throws Exception {
        URI uri = URI.create(server.endpoint() + "/2015-03-31/functions/missing/configuration");
        StringBuilder signature = new StringBuilder();
        Signing.sign(server.identity(), software.amazon.awssdk.http.SdkHttpRequest.builder()
                        .method(software.amazon.awssdk.http.SdkHttpMethod.PUT).uri(uri)
                        .putHeader("Content-Type", "application/json").build(),
                "{}".getBytes(StandardCharsets.US_ASCII), java.time.Clock.systemUTC())
                .forEachHeader((name, values) -> signature.append(name).append(": ").append(values.getFirst())
                        .append("\r\n"));
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            socket.getOutputStream().write(("PUT " + uri.getRawPath() + " HTTP/1.1\r\n" + signature
                    + "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] interim = new byte[25];
            int read = socket.getInputStream().readNBytes(interim, 0, interim.length);
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, 0, read, StandardCharsets.US_ASCII));
            socket.getOutputStream().write("{}".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[12];
            socket.getInputStream().readNBytes(answer, 0, answer.length);
            assertEquals("HTTP/1.1 404", new String(answer, StandardCharsets.US_ASCII));
        }
    }

    private static void assertUnchanged() {
        assertEquals(List.of("existing"), lambda.listFunctions().functions().stream().map(f -> f.functionName()).toList());
        assertEquals(java.util.Map.of(), lambda.listTags(b -> b.resource(
                "arn:aws:lambda:us-east-1:000000000000:function:existing")).tags());
    }
}
