package dev.thunk.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** MemorySize is enforced: a function that allocates past it fails cleanly, and its neighbours keep working. */
class MemoryLimitIT {

    @Test
    void allocatingPastTheLimitIsAnOutOfMemoryErrorAndNeighboursKeepWorking() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            assumeTrue(server.describe().stream().anyMatch(line -> line.startsWith("memory limits: cgroup")),
                    "this machine has no writable cgroup memory controller: " + server.describe());
            Functions.createActive(lambda, Invocations.function("hog", "python3.12", "app.handler", Packages.python("""
                    def handler(event, context):
                        hoard = "x" * (event["mb"] << 20)
                        return len(hoard)
                    """)).memorySize(128).timeout(30).build());
            Functions.createActive(lambda, Invocations.function("neighbour", "python3.12", "app.handler",
                    Packages.python("def handler(event, context):\n    return 'fine'\n")).build());

            assertEquals(String.valueOf(32 << 20), Invocations.invoke(lambda, "hog", "{\"mb\":32}").payload(),
                    "within its memory the function runs");
            CompletableFuture<Invocations.Result> neighbour = CompletableFuture.supplyAsync(
                    () -> Invocations.invoke(lambda, "neighbour", "{}"));
            Invocations.Result hog = Invocations.invoke(lambda, "hog", "{\"mb\":400}");
            assertEquals("Unhandled", hog.functionError(), hog.payload());
            var error = new ObjectMapper().readTree(hog.payload());
            assertEquals("Runtime.OutOfMemory", error.get("errorType").asText());
            assertTrue(error.get("errorMessage").asText().contains("Runtime exited with error: signal: killed"),
                    error.toString());
            assertTrue(hog.log().contains("\tStatus: error\tError Type: Runtime.OutOfMemory"), hog.log());
            assertNull(neighbour.get().functionError());
            assertEquals("\"fine\"", Invocations.invoke(lambda, "neighbour", "{}").payload());
            assertEquals(String.valueOf(1 << 20), Invocations.invoke(lambda, "hog", "{\"mb\":1}").payload(),
                    "the next invocation gets a fresh environment");
        }
    }
}
