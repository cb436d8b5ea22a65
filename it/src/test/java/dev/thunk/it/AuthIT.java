package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thunk.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AddPermissionResponse;
import software.amazon.awssdk.services.lambda.model.GetPolicyResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request signing end to end: what is refused (and that a refused request changes nothing), presigned package
 * links, and a second account that may invoke a function exactly while its policy allows it.
 */
class AuthIT {
    static final String OTHER_ACCOUNT = "111111111111";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    static TestServer server;
    static LambdaClient lambda;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withAccess(ServerConfig.AccessOptions.defaults()
                .withOtherAccount(OTHER_ACCOUNT)));
        lambda = server.lambda();
        Functions.createActive(lambda, Functions.provided("guarded").build());
    }

    @AfterAll
    static void stop() {
        lambda.close();
        server.close();
    }

    private static HttpResponse<String> unsigned(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static LambdaException refusal(int status, String code, Executable call) {
        LambdaException e = assertThrows(LambdaException.class, call::run);
        assertEquals(status, e.statusCode(), e.getMessage());
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
        return e;
    }

    private static LambdaClient clientWith(String keyId, String secret) {
        return server.lambda(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)));
    }

    /** The refused requests below try to create "sneaky" and "forged" and to delete "guarded". */
    private static void assertOnlyGuardedExists() {
        java.util.List<String> names = lambda.listFunctions().functions().stream().map(f -> f.functionName()).toList();
        assertTrue(names.contains("guarded") && !names.contains("sneaky") && !names.contains("forged"),
                names.toString());
    }

    private static String createBody(String name) {
        return "{\"FunctionName\":\"" + name + "\",\"Runtime\":\"provided.al2023\",\"Handler\":\"bootstrap\","
                + "\"Role\":\"" + Functions.ROLE + "\",\"Code\":{\"ZipFile\":\""
                + java.util.Base64.getEncoder().encodeToString(Functions.helloZip()) + "\"}}";
    }

    @Test
    void anUnsignedRequestIsRefusedAndChangesNothing() throws Exception {
        HttpResponse<String> response = unsigned("POST", "/2015-03-31/functions", createBody("sneaky"));
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("MissingAuthenticationTokenException", response.headers().firstValue("x-amzn-ErrorType").orElse(""));
        assertEquals("{\"message\":\"Missing Authentication Token\"}", response.body());
        assertEquals(403, unsigned("DELETE", "/2015-03-31/functions/guarded", "").statusCode());
        assertEquals(403, unsigned("GET", "/thunk/logs/guarded", "").statusCode(), "Thunk's own paths too");
        assertOnlyGuardedExists();
    }

    @Test
    void aWrongSecretOrAnUnknownKeyIsRefusedAndChangesNothing() {
        String ownKeyId = server.identity().accessKeyId();
        try (LambdaClient forged = clientWith(ownKeyId, "x".repeat(40));
             LambdaClient stranger = clientWith("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")) {
            LambdaException bad = refusal(403, "InvalidSignatureException",
                    () -> forged.createFunction(Functions.provided("forged").build()));
            assertTrue(bad.awsErrorDetails().errorMessage().startsWith("The request signature we calculated does not "
                    + "match the signature you provided. Check your AWS Secret Access Key and signing method."),
                    bad.getMessage());
            refusal(403, "InvalidSignatureException", () -> forged.deleteFunction(b -> b.functionName("guarded")));
            LambdaException unknown = refusal(403, "UnrecognizedClientException",
                    () -> stranger.deleteFunction(b -> b.functionName("guarded")));
            assertEquals("The security token included in the request is invalid.",
                    unknown.awsErrorDetails().errorMessage());
        }
        assertOnlyGuardedExists();
    }

    @Test
    void aSignatureMoreThanFiveMinutesOldIsExpired() throws Exception {
        Clock twentyMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
        HttpResponse<String> response = HTTP.send(Signing.request(server.identity(), "DELETE",
                URI.create(server.endpoint() + "/2015-03-31/functions/guarded"), Map.of(), new byte[0],
                twentyMinutesAgo).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("InvalidSignatureException", response.headers().firstValue("x-amzn-ErrorType").orElse(""));
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.get("message").asText().matches("Signature expired: \\d{8}T\\d{6}Z is now earlier than "
                + "\\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)"), response.body());
        assertOnlyGuardedExists();

        HttpResponse<String> fresh = HTTP.send(Signing.request(server.identity(), "GET",
                URI.create(server.endpoint() + "/2015-03-31/functions/guarded"), Map.of(), new byte[0]).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fresh.statusCode(), "the same request signed now works: " + fresh.body());
    }

    @Test
    void theCodeLocationIsAPresignedUrlThatWorksOnlyUnchanged() throws Exception {
        String location = lambda.getFunction(b -> b.functionName("guarded")).code().location();
        assertTrue(location.contains("X-Amz-Signature=") && location.contains("X-Amz-Expires=600"), location);
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(Functions.helloZip(), download.body());

        String signature = location.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        String otherSignature = (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
        for (String tampered : new String[]{location.replace(signature, otherSignature),
                location.replace("X-Amz-Expires=600", "X-Amz-Expires=6000"),
                location.replaceAll("code/[0-9a-f]", "code/0")}) {
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(tampered)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode(), tampered + " -> " + refused.body());
            assertEquals("InvalidSignatureException", refused.headers().firstValue("x-amzn-ErrorType").orElse(""));
        }
        String bare = location.substring(0, location.indexOf('?'));
        assertEquals(403, HTTP.send(HttpRequest.newBuilder(URI.create(bare)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "the path alone is not enough");
    }

    @Test
    void aPolicyOpensInvokeToAnotherAccountAndItsRemovalClosesItAgain() throws Exception {
        Functions.createActive(lambda, Functions.provided("shared").build());
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:shared";
        AwsCredentialsProvider otherKeys = server.credentials("thunk-" + OTHER_ACCOUNT);
        try (LambdaClient other = server.lambda(otherKeys);
             var otherAsync = server.lambdaAsync(otherKeys)) {
            LambdaException denied = refusal(403, "AccessDeniedException",
                    () -> other.invoke(b -> b.functionName(arn)));
            var streamDenied = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> streamInvoke(otherAsync, arn));
            assertEquals(403, ((LambdaException) streamDenied.getCause()).statusCode(),
                    "InvokeWithResponseStream is the same lambda:InvokeFunction action");
            assertEquals("User: arn:aws:iam::111111111111:root is not authorized to perform: lambda:InvokeFunction "
                    + "on resource: " + arn + " because no resource-based policy allows the lambda:InvokeFunction "
                    + "action", denied.awsErrorDetails().errorMessage());

            AddPermissionResponse added = lambda.addPermission(b -> b.functionName("shared").statementId("other")
                    .action("lambda:InvokeFunction").principal(OTHER_ACCOUNT));
            JsonNode statement = JSON.readTree(added.statement());
            assertEquals("other", statement.get("Sid").asText());
            assertEquals("Allow", statement.get("Effect").asText());
            assertEquals("arn:aws:iam::111111111111:root", statement.get("Principal").get("AWS").asText());
            assertEquals("lambda:InvokeFunction", statement.get("Action").asText());
            assertEquals(arn, statement.get("Resource").asText());

            assertEquals(200, other.invoke(b -> b.functionName(arn)).statusCode(), "the policy lets it in");
            assertEquals(200, streamInvoke(otherAsync, arn), "streamed too");
            refusal(404, "ResourceNotFoundException", () -> other.invoke(b -> b.functionName("shared")));
            refusal(403, "AccessDeniedException", () -> other.getFunction(b -> b.functionName(arn)));
            refusal(403, "AccessDeniedException", () -> other.deleteFunction(b -> b.functionName(arn)));
            refusal(403, "AccessDeniedException", () -> other.listFunctions());
            refusal(403, "AccessDeniedException", () -> other.removePermission(b -> b.functionName(arn)
                    .statementId("other")));
            refusal(403, "AccessDeniedException", () -> other.invoke(b -> b.functionName(arn).qualifier("1")));

            GetPolicyResponse policy = lambda.getPolicy(b -> b.functionName("shared"));
            JsonNode document = JSON.readTree(policy.policy());
            assertEquals("2012-10-17", document.get("Version").asText());
            assertEquals("default", document.get("Id").asText());
            assertEquals(statement, document.get("Statement").get(0));
            refusal(412, "PreconditionFailedException", () -> lambda.removePermission(b -> b.functionName("shared")
                    .statementId("other").revisionId("not-" + policy.revisionId())));
            lambda.removePermission(b -> b.functionName("shared").statementId("other")
                    .revisionId(policy.revisionId()));

            refusal(403, "AccessDeniedException", () -> other.invoke(b -> b.functionName(arn)));
            refusal(404, "ResourceNotFoundException", () -> lambda.getPolicy(b -> b.functionName("shared")));
        }
    }

    /** InvokeWithResponseStream with {@code client}; its HTTP status. */
    private static int streamInvoke(software.amazon.awssdk.services.lambda.LambdaAsyncClient client, String function)
            throws Exception {
        int[] status = {0};
        client.invokeWithResponseStream(b -> b.functionName(function),
                software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponseHandler.builder()
                        .onResponse(r -> status[0] = r.statusCode()).subscriber(event -> { }).build())
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        return status[0];
    }

    @Test
    void permissionsAreCheckedAndRenderedAsAwsDoes() throws Exception {
        Functions.createActive(lambda, Functions.provided("perms").build());
        AddPermissionResponse service = lambda.addPermission(b -> b.functionName("perms").statementId("s3")
                .action("lambda:InvokeFunction").principal("s3.amazonaws.com")
                .sourceArn("arn:aws:s3:::bucket").sourceAccount("000000000000"));
        JsonNode statement = JSON.readTree(service.statement());
        assertEquals("s3.amazonaws.com", statement.get("Principal").get("Service").asText());
        assertEquals("000000000000", statement.get("Condition").get("StringEquals").get("AWS:SourceAccount").asText());
        assertEquals("arn:aws:s3:::bucket", statement.get("Condition").get("ArnLike").get("AWS:SourceArn").asText());
        assertEquals("*", JSON.readTree(lambda.addPermission(b -> b.functionName("perms").statementId("all")
                .action("lambda:*").principal("*")).statement()).get("Principal").asText());

        LambdaException duplicate = refusal(409, "ResourceConflictException", () -> lambda.addPermission(
                b -> b.functionName("perms").statementId("s3").action("lambda:InvokeFunction").principal("*")));
        assertEquals("The statement id (s3) provided already exists. Please provide a new statement id, or remove "
                + "the existing statement.", duplicate.awsErrorDetails().errorMessage());
        refusal(404, "ResourceNotFoundException", () -> lambda.removePermission(b -> b.functionName("perms")
                .statementId("nope")));
        refusal(404, "ResourceNotFoundException", () -> lambda.addPermission(b -> b.functionName("missing")
                .statementId("x").action("lambda:InvokeFunction").principal("*")));
        refusal(412, "PreconditionFailedException", () -> lambda.addPermission(b -> b.functionName("perms")
                .statementId("late").action("lambda:InvokeFunction").principal("*").revisionId("stale")));
        refusal(400, "InvalidParameterValueException", () -> lambda.addPermission(b -> b.functionName("perms")
                .statementId("who").action("lambda:InvokeFunction").principal("somebody")));
        refusal(400, "ValidationException", () -> lambda.addPermission(b -> b.functionName("perms")
                .statementId("bad id!").action("lambda:InvokeFunction").principal("*")));
        assertEquals(2, JSON.readTree(lambda.getPolicy(b -> b.functionName("perms")).policy())
                .get("Statement").size());
    }

    /** A helper to keep lambdas that throw checked exceptions readable in {@link #refusal}. */
    @FunctionalInterface
    interface Executable {
        void run() throws Exception;
    }
}
