package dev.thunk.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    private final TestSession session = new TestSession();

    @Test
    void signsWithProfileThunkOfTheCredentialsFileForTheGivenRegion(@org.junit.jupiter.api.io.TempDir
                                                                     java.nio.file.Path dir) throws IOException {
        java.nio.file.Path file = dir.resolve("aws-credentials");
        java.nio.file.Files.writeString(file, "[other]\naws_access_key_id = AKIAOTHEROTHEROTHER2\n"
                + "aws_secret_access_key = x\n\n[thunk]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n"
                + "aws_secret_access_key = " + "s".repeat(40) + "\n");
        try (FakeServer server = FakeServer.start()) {
            server.on("GET", "/2015-03-31/functions/?", (ex, m, body) -> FakeServer.reply(ex, 200,
                    "application/json", "{\"Functions\":[]}", Map.of()));
            assertEquals(0, session.run("ls", "--endpoint", server.endpoint(), "--credentials", file.toString(),
                    "--region", "eu-west-1"), session.err());
            String authorization = server.requests.getFirst().header("Authorization");
            assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIAAAAAAAAAAAAAAAAA/"), authorization);
            assertTrue(authorization.contains("/eu-west-1/lambda/aws4_request, SignedHeaders="), authorization);
            assertTrue(server.requests.getFirst().header("X-Amz-Date") != null);
        }
    }

    @Test
    void sendsUnsignedRequestsWithoutACredentialsFile() {
        try (FakeServer server = FakeServer.start()) {
            server.on("GET", "/2015-03-31/functions/?", (ex, m, body) -> FakeServer.reply(ex, 200,
                    "application/json", "{\"Functions\":[]}", Map.of()));
            assertEquals(0, session.run("ls", "--endpoint", server.endpoint()), session.err());
            assertEquals(null, server.requests.getFirst().header("Authorization"));
            assertEquals(2, session.run("ls", "--endpoint", server.endpoint(), "--credentials", "/no/such/file"));
        }
    }

    @Test
    void saysWhereCredentialsComeFromWhenTheServerWantsThem() {
        try (FakeServer server = FakeServer.start()) {
            server.on("GET", "/2015-03-31/functions/?", (ex, m, body) -> FakeServer.reply(ex, 403,
                    "application/json", "{\"message\":\"Missing Authentication Token\"}",
                    Map.of("x-amzn-ErrorType", "MissingAuthenticationTokenException")));
            assertEquals(1, session.run("ls", "--endpoint", server.endpoint()));
            assertTrue(session.err().contains("--credentials <data dir>/aws-credentials"), session.err());
        }
    }

    @Test
    void rendersAwsErrorsWithTheirTypeAndMessage() {
        try (FakeLambda lambda = new FakeLambda()) {
            assertEquals(1, session.run("rm", "nope", "--endpoint", lambda.endpoint()));
            assertEquals("thunk: ResourceNotFoundException: Function not found: "
                    + "arn:aws:lambda:us-east-1:000000000000:function:nope\n", session.err());
        }
    }

    @Test
    void readsLowerCaseMessagesAndTypesWithADocumentationSuffix() {
        try (FakeServer server = FakeServer.start()) {
            server.on("GET", "/2015-03-31/functions/?", (ex, m, body) -> FakeServer.reply(ex, 400,
                    "application/json", "{\"message\":\"1 validation error detected\"}",
                    Map.of("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/")));
            assertEquals(1, session.run("ls", "--endpoint", server.endpoint()));
            assertEquals("thunk: ValidationException: 1 validation error detected\n", session.err());
        }
    }

    @Test
    void rendersOtherHttpFailuresWithStatusAndBody() {
        try (FakeServer server = FakeServer.start()) {
            assertEquals(1, session.run("logs", "hello", "--endpoint", server.endpoint()));
            assertEquals("thunk: GET /thunk/logs/hello answered HTTP 404: no route for /thunk/logs/hello\n",
                    session.err());
        }
    }

    @Test
    void saysHowToStartAServerWhenNoneListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        assertEquals(1, session.env(Map.of("THUNK_ENDPOINT", endpoint)).run("ls"));
        assertEquals("thunk: no Thunk server at " + endpoint + " (start one with ./thunk server)\n", session.err());
    }

    @Test
    void listsEveryPageAlignedInColumns() {
        try (FakeLambda lambda = new FakeLambda()) {
            lambda.put("a", "python3.12");
            lambda.put("bb", "nodejs22.x");
            lambda.put("ccc", "provided.al2023");
            lambda.put("dddd", "java21");
            lambda.put("e", "python3.13");

            assertEquals(0, session.run("ls", "--endpoint", lambda.endpoint()), session.err());

            assertEquals(List.of("ListFunctions", "ListFunctions", "ListFunctions"), lambda.operations);
            assertEquals(List.of("/2015-03-31/functions/?null", "/2015-03-31/functions/?m2",
                    "/2015-03-31/functions/?m4"), lambda.server.requests.stream()
                    .map(r -> r.path() + "?" + (r.query() == null ? null : r.query().replace("Marker=", "")))
                    .toList());
            assertEquals("""
                    a     python3.12       128 MB  Active  2026-11-22T09:00:00.000+0000
                    bb    nodejs22.x       128 MB  Active  2026-11-22T09:00:00.000+0000
                    ccc   provided.al2023  128 MB  Active  2026-11-22T09:00:00.000+0000
                    dddd  java21           128 MB  Active  2026-11-22T09:00:00.000+0000
                    e     python3.13       128 MB  Active  2026-11-22T09:00:00.000+0000
                    """, session.out());
        }
    }

    @Test
    void removesAFunction() {
        try (FakeLambda lambda = new FakeLambda()) {
            lambda.put("hello", "python3.12");
            assertEquals(0, session.run("rm", "hello", "--endpoint", lambda.endpoint()));
            assertEquals("deleted hello\n", session.out());
            assertTrue(lambda.functions.isEmpty());
        }
    }

    @Test
    void unknownCommandsAndMissingArgumentsAreUsageErrors() {
        assertEquals(2, session.run("frobnicate"));
        assertTrue(session.err().startsWith("thunk: unknown command 'frobnicate'\nusage: thunk <command>"),
                session.err());
        TestSession other = new TestSession();
        assertEquals(2, other.run("invoke"));
        assertEquals("thunk: 'invoke' needs a function name\n", other.err());
        TestSession bad = new TestSession();
        assertEquals(2, bad.run("ls", "--endpoint", "localhost:9000"));
        assertEquals("thunk: endpoint must be an http:// or https:// URL, not 'localhost:9000'\n", bad.err());
    }

    @Test
    void helpGoesToStdout() {
        assertEquals(0, session.run("deploy", "--help"));
        assertTrue(session.out().contains("deploy <dir|jar|zip> --name N"), session.out());
        assertEquals("", session.err());
    }
}
