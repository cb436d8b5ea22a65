package dev.thunk.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thunk.runtimes.FakeRuntimeApi.Kind;
import dev.thunk.runtimes.FakeRuntimeApi.Post;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.thunk.runtimes.ChildRuntime.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * What the tests of Thunk's runtime clients share: a task root to write the function into, a fake Runtime API, and
 * the client under test started as a child process against it. A subclass says how its client starts.
 */
abstract class RuntimeClientTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path taskRoot;
    @TempDir
    Path optRoot;
    @TempDir
    Path runtimeDir;

    FakeRuntimeApi api;
    ChildRuntime runtime;

    /**
     * The command that starts the client under test, its files extracted into {@link #runtimeDir}. Called before
     * each test; a missing interpreter skips the test.
     */
    abstract List<String> clientCommand();

    private List<String> command;

    @BeforeEach
    void startFakeApi() {
        command = clientCommand();
        api = new FakeRuntimeApi();
    }

    @AfterEach
    void stopClientAndApi() {
        if (runtime != null) {
            runtime.close();
        }
        if (api != null) {
            api.close();
        }
    }

    void start(String handler) {
        start(handler, Map.of());
    }

    void start(String handler, Map<String, String> extraEnv) {
        Map<String, String> env = ChildRuntime.lambdaEnvironment(api, handler, taskRoot, optRoot);
        env.putAll(extraEnv);
        runtime = ChildRuntime.start(command, taskRoot, env);
    }

    void write(String relative, String content) throws IOException {
        Path file = taskRoot.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    Post awaitPost() {
        return api.awaitPost(WAIT);
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    /**
     * Enqueues an invocation whose headers carry a client context ({@code custom} {@code k: v}) and a Cognito
     * identity ({@code id-1}), as a mobile SDK's call does.
     */
    FakeRuntimeApi.Invocation enqueueWithClientContextAndIdentity(String requestId) {
        FakeRuntimeApi.Invocation invocation = FakeRuntimeApi.Invocation.of(requestId, "{}");
        invocation.headers().put("Lambda-Runtime-Client-Context",
                "{\"custom\":{\"k\":\"v\"},\"env\":{},\"client\":{}}");
        invocation.headers().put("Lambda-Runtime-Cognito-Identity", "{\"cognitoIdentityId\":\"id-1\"}");
        api.enqueue(invocation);
        return invocation;
    }

    /** The init error the client reports, once it has exited without asking for an event. */
    Post awaitInitErrorAndExit() {
        Post post = awaitPost();
        assertEquals(Kind.INIT_ERROR, post.kind(), runtime.log());
        assertNotEquals(0, runtime.awaitExit(WAIT));
        assertEquals(0, api.nextCalls(), "an environment whose init failed must not ask for events");
        return post;
    }
}
