package dev.thunk.it;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Published versions: immutable snapshots that are listed, read, invoked and deleted by their number. */
class VersionsIT {
    private static byte[] answering(String answer) {
        return Packages.python("def handler(event, context):\n    return '" + answer + "'\n");
    }

    @Test
    void versionsAreImmutableSnapshotsInvokedByNumber() {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Invocations.function("versioned", "python3.12", "app.handler",
                    answering("one")).build());
            PublishVersionResponse v1 = lambda.publishVersion(b -> b.functionName("versioned").description("first"));
            assertEquals("1", v1.version());
            assertEquals("arn:aws:lambda:us-east-1:000000000000:function:versioned:1", v1.functionArn());
            assertEquals("first", v1.description());
            assertEquals("Active", v1.stateAsString());
            assertEquals("1", lambda.publishVersion(b -> b.functionName("versioned")).version(),
                    "publishing unchanged code and configuration returns the existing version");

            lambda.updateFunctionCode(b -> b.functionName("versioned").zipFile(SdkBytes.fromByteArray(answering("two"))));
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("versioned"));
            String latestSha = lambda.getFunctionConfiguration(b -> b.functionName("versioned")).codeSha256();
            assertThrows(AwsServiceException.class, () -> lambda.publishVersion(b -> b.functionName("versioned")
                    .codeSha256("c3RhbGU=")));
            assertThrows(PreconditionFailedException.class, () -> lambda.publishVersion(b -> b.functionName("versioned")
                    .revisionId(v1.revisionId())));
            assertEquals("2", lambda.publishVersion(b -> b.functionName("versioned").codeSha256(latestSha)).version());

            List<String> listed = lambda.listVersionsByFunction(b -> b.functionName("versioned")).versions().stream()
                    .map(FunctionConfiguration::version).toList();
            assertEquals(List.of("$LATEST", "1", "2"), listed);
            assertEquals(List.of("$LATEST", "1", "2"), lambda.listVersionsByFunctionPaginator(b -> b
                    .functionName("versioned").maxItems(1)).versions().stream().map(FunctionConfiguration::version)
                    .toList(), "paging one at a time sees the same versions");

            InvokeResponse one = lambda.invoke(b -> b.functionName("versioned").qualifier("1"));
            assertEquals("\"one\"", one.payload().asUtf8String());
            assertEquals("1", one.executedVersion());
            InvokeResponse two = lambda.invoke(b -> b.functionName("versioned:2"));
            assertEquals("\"two\"", two.payload().asUtf8String());
            assertEquals("2", two.executedVersion());
            assertEquals("$LATEST", lambda.invoke(b -> b.functionName("versioned")).executedVersion());
            assertTrue(Invocations.invoke(lambda, "versioned:1", "{}").log().contains("Version: 1\n"));

            assertEquals("first", lambda.getFunctionConfiguration(b -> b.functionName("versioned").qualifier("1"))
                    .description());
            assertEquals("1", lambda.getFunction(b -> b.functionName("versioned:1")).configuration().version());

            assertTrue(server.pools().stream().anyMatch(l -> l.startsWith("function=versioned, version=1,")),
                    server.pools().toString());
            lambda.deleteFunction(b -> b.functionName("versioned").qualifier("1"));
            assertTrue(server.pools().stream().noneMatch(l -> l.startsWith("function=versioned, version=1,")),
                    "a deleted version's environments end: " + server.pools());
            assertTrue(server.pools().stream().anyMatch(l -> l.startsWith("function=versioned, version=2,")),
                    "the other versions keep theirs: " + server.pools());
            ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class,
                    () -> lambda.invoke(b -> b.functionName("versioned").qualifier("1")));
            assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:versioned:1",
                    gone.awsErrorDetails().errorMessage());
            assertThrows(ResourceNotFoundException.class, () -> lambda.getFunction(b -> b.functionName("versioned:9")));
            assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(b -> b.functionName("versioned:prod")));
            assertEquals("\"two\"", lambda.invoke(b -> b.functionName("versioned:2")).payload().asUtf8String());

            server.restart();
            try (LambdaClient again = server.lambda()) {
                assertEquals(List.of("$LATEST", "2"), again.listVersionsByFunction(b -> b.functionName("versioned"))
                        .versions().stream().map(FunctionConfiguration::version).toList());
                assertEquals("\"two\"", again.invoke(b -> b.functionName("versioned:2")).payload().asUtf8String());
                again.deleteFunction(b -> b.functionName("versioned"));
                assertThrows(ResourceNotFoundException.class, () -> again.invoke(b -> b.functionName("versioned:2")));
                assertEquals(0L, again.getAccountSettings(b -> { }).accountUsage().totalCodeSize(),
                        "deleting the function deletes its versions' code");
            }
        }
    }

    /** Deleting a published version ends its environments' processes; the other versions keep theirs. */
    @Test
    void deletingAVersionEndsItsEnvironments() {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Invocations.function("retiring", "python3.12", "app.handler",
                    Packages.python("def handler(event, context):\n    return context.log_stream_name\n"))
                    .publish(true).build());
            lambda.updateFunctionConfiguration(b -> b.functionName("retiring").timeout(5));
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("retiring"));
            assertEquals("2", lambda.publishVersion(b -> b.functionName("retiring")).version());
            String one = ConcurrencyIT.unquoted(Invocations.invoke(lambda, "retiring:1", "{}").payload());
            String two = ConcurrencyIT.unquoted(Invocations.invoke(lambda, "retiring:2", "{}").payload());
            assertTrue(EnvironmentProcesses.alive(one), one);

            lambda.deleteFunction(b -> b.functionName("retiring").qualifier("1"));
            dev.thunk.testkit.Await.until("version 1's environment ended", java.time.Duration.ofSeconds(10),
                    () -> !EnvironmentProcesses.alive(one));
            assertTrue(EnvironmentProcesses.alive(two), "version 2's environment goes on");
            assertEquals(two, ConcurrencyIT.unquoted(Invocations.invoke(lambda, "retiring:2", "{}").payload()),
                    "and serves the next invocation of version 2");
        }
    }

    @Test
    void publishOnCreateAndOnCodeUpdateAnswersTheNewVersion() {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            var created = lambda.createFunction(Invocations.function("auto", "python3.12", "app.handler",
                    answering("first")).publish(true).build());
            assertEquals("1", created.version());
            assertEquals("arn:aws:lambda:us-east-1:000000000000:function:auto:1", created.functionArn());
            lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("auto"));
            assertEquals("\"first\"", lambda.invoke(b -> b.functionName("auto:1")).payload().asUtf8String());

            var updated = lambda.updateFunctionCode(b -> b.functionName("auto").publish(true)
                    .zipFile(SdkBytes.fromByteArray(answering("second"))));
            assertEquals("2", updated.version());
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("auto"));
            assertEquals("\"second\"", lambda.invoke(b -> b.functionName("auto:2")).payload().asUtf8String());
            assertEquals("\"first\"", lambda.invoke(b -> b.functionName("auto:1")).payload().asUtf8String(),
                    "version 1 keeps its code");
            assertEquals(List.of("$LATEST", "1", "2"), lambda.listVersionsByFunction(b -> b.functionName("auto"))
                    .versions().stream().map(FunctionConfiguration::version).toList());
        }
    }
}
