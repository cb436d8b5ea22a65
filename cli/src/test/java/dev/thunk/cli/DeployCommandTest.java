package dev.thunk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeployCommandTest {
    @TempDir
    Path dir;
    private FakeLambda lambda;
    private final TestSession session = new TestSession();

    @BeforeEach
    void setUp() throws IOException {
        lambda = new FakeLambda();
        Files.writeString(dir.resolve("bootstrap"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("bootstrap"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("app.py"), "def handler(event, context):\n    return 'hi'\n");
    }

    @AfterEach
    void tearDown() {
        lambda.close();
    }

    private int deploy(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("deploy", dir.toString(), "--endpoint",
                lambda.endpoint(), "--name", "hello"));
        args.addAll(List.of(more));
        return session.run(args.toArray(String[]::new));
    }

    @Test
    void createsAFunctionAndWaitsUntilItIsActive() throws IOException {
        int code = deploy("--runtime", "python3.12", "--handler", "app.handler", "--memory", "256",
                "--timeout", "10", "--env", "GREETING=hi", "--env", "B=1");

        assertEquals(0, code, session.err());
        assertEquals(List.of("GetFunctionConfiguration", "CreateFunction", "GetFunctionConfiguration",
                "GetFunctionConfiguration"), lambda.operations);
        JsonNode sent = ThunkClient.JSON.readTree(lambda.server.requests.get(1).body());
        assertEquals("hello", sent.path("FunctionName").asText());
        assertEquals("python3.12", sent.path("Runtime").asText());
        assertEquals("app.handler", sent.path("Handler").asText());
        assertEquals(DeployCommand.DEFAULT_ROLE, sent.path("Role").asText());
        assertEquals(256, sent.path("MemorySize").asInt());
        assertEquals(10, sent.path("Timeout").asInt());
        assertEquals("hi", sent.path("Environment").path("Variables").path("GREETING").asText());
        assertEquals("1", sent.path("Environment").path("Variables").path("B").asText());
        assertEquals(List.of("app.py", "bootstrap"), List.copyOf(ZipWriterTest.unzip(lambda.code.get("hello")).keySet()));
        assertEquals(0100755, ZipWriterTest.centralDirectory(lambda.code.get("hello")).get("bootstrap")[0]);
        assertTrue(session.out().startsWith("created hello ("), session.out());
        assertTrue(session.out().contains("hello is Active: python3.12, handler app.handler, 256 MB, 10 s timeout\n"
                + "  arn:aws:lambda:us-east-1:000000000000:function:hello\n"), session.out());
        assertEquals("", session.err());
    }

    @Test
    void updatesCodeThenConfigurationWaitingInBetween() throws IOException {
        lambda.put("hello", "python3.11");

        int code = deploy("--runtime", "python3.12", "--memory", "512", "--role", "arn:aws:iam::1:role/r");

        assertEquals(0, code, session.err());
        // The fake refuses a configuration change while the code update is InProgress, so the polls between
        // UpdateFunctionCode and UpdateFunctionConfiguration are what made this succeed.
        assertEquals(List.of("GetFunctionConfiguration", "UpdateFunctionCode",
                "GetFunctionConfiguration", "GetFunctionConfiguration", "UpdateFunctionConfiguration",
                "GetFunctionConfiguration", "GetFunctionConfiguration"), lambda.operations);
        FakeServer.Recorded configuration = lambda.server.requests.stream()
                .filter(r -> r.method().equals("PUT") && r.path().endsWith("/configuration")).findFirst().orElseThrow();
        assertEquals("{\"Runtime\":\"python3.12\",\"Role\":\"arn:aws:iam::1:role/r\",\"MemorySize\":512}",
                configuration.bodyText());
        assertEquals(List.of("app.py", "bootstrap"), List.copyOf(ZipWriterTest.unzip(lambda.code.get("hello")).keySet()));
        assertTrue(session.out().contains("updated the code of hello"), session.out());
        assertTrue(session.out().contains("updated the configuration of hello (Runtime, Role, MemorySize)"),
                session.out());
        assertTrue(session.out().contains("hello is Active: python3.12, handler app.handler, 512 MB"),
                session.out());
    }

    @Test
    void updatesOnlyTheCodeWhenNoOptionIsGiven() {
        lambda.put("hello", "python3.12");
        lambda.settleAfter = 1;

        assertEquals(0, deploy(), session.err());
        assertEquals(List.of("GetFunctionConfiguration", "UpdateFunctionCode", "GetFunctionConfiguration"),
                lambda.operations);
    }

    @Test
    void reportsAFunctionThatFailedToBecomeActive() {
        lambda.failReason = "The stored package could not be read: disk error";

        int code = deploy("--runtime", "provided.al2023");

        assertEquals(1, code);
        assertEquals("thunk: hello is Failed: The stored package could not be read: disk error\n", session.err());
        assertEquals("bootstrap", lambda.functions.get("hello").path("Handler").asText(),
                "provided runtimes default to the bootstrap handler");
    }

    @Test
    void warnsWhenACustomRuntimeDirectoryHasNoExecutableBootstrap() throws IOException {
        Files.setPosixFilePermissions(dir.resolve("bootstrap"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, deploy("--runtime", "provided.al2023"), session.err());
        assertEquals("thunk: warning: " + dir.resolve("bootstrap") + " is not executable (chmod +x it): invocations "
                + "will fail with Runtime.InvalidEntrypoint unless a layer brings one\n", session.err());

        Files.delete(dir.resolve("bootstrap"));
        TestSession again = new TestSession();
        lambda.operations.clear();
        assertEquals(0, again.run("deploy", dir.toString(), "--endpoint", lambda.endpoint(), "--name", "hello"),
                again.err());
        assertTrue(again.err().startsWith("thunk: warning: " + dir + " has no bootstrap file at its root: "),
                again.err());

        TestSession python = new TestSession();
        assertEquals(0, python.run("deploy", dir.toString(), "--endpoint", lambda.endpoint(), "--name", "py",
                "--runtime", "python3.12", "--handler", "app.handler"), python.err());
        assertEquals("", python.err(), "other runtimes need no bootstrap");
    }

    @Test
    void creatingNeedsARuntimeAndAHandler() {
        assertEquals(2, deploy("--handler", "app.handler"));
        assertEquals("thunk: hello does not exist yet: creating it needs --runtime\n", session.err());
        assertEquals(List.of("GetFunctionConfiguration"), lambda.operations);
    }

    @Test
    void rejectsAMalformedEnvironmentVariableBeforeTalkingToTheServer() {
        assertEquals(2, deploy("--env", "NOEQUALS"));
        assertEquals("thunk: --env takes KEY=VALUE, not 'NOEQUALS'\n", session.err());
        assertEquals(List.of(), lambda.operations);
    }
}
