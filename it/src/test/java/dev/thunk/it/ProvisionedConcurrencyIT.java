package dev.thunk.it;

import dev.thunk.testkit.Await;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.ListProvisionedConcurrencyConfigsResponse;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigListItem;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.PutProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provisioned concurrency through the AWS SDK: the API's fields and refusals, environments initialised before any
 * invocation and preferred by it, replaced when killed, following an alias, and started again after a restart.
 */
class ProvisionedConcurrencyIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    /**
     * Answers its environment (log stream name) and how it was initialised; a slow init makes IN_PROGRESS visible.
     */
    private static final String REPORTER = """
            import os, time
            time.sleep(0.5)
            def handler(event, context):
                return "%s %s" % (context.log_stream_name, os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"])
            """;

    private static void createReporter(LambdaClient lambda, String name) {
        Functions.createActive(lambda, Invocations.function(name, "python3.12", "app.handler",
                Packages.python(REPORTER)).timeout(30).build());
    }

    private static GetProvisionedConcurrencyConfigResponse get(LambdaClient lambda, String name, String qualifier) {
        return lambda.getProvisionedConcurrencyConfig(b -> b.functionName(name).qualifier(qualifier));
    }

    private static void awaitStatus(LambdaClient lambda, String name, String qualifier,
                                    ProvisionedConcurrencyStatusEnum status) {
        Await.until(name + ":" + qualifier + " " + status, DEADLINE,
                () -> get(lambda, name, qualifier).status() == status);
    }

    /** How many initialised provisioned environments the engine has for the version. */
    private static int provisioned(TestServer server, String name, String version) {
        Pattern line = Pattern.compile("function=" + name + ", version=" + version + ",.*provisioned=(\\d+)");
        return server.pools().stream().map(line::matcher).filter(Matcher::find)
                .mapToInt(m -> Integer.parseInt(m.group(1))).sum();
    }

    /**
     * The function's provisioned environments (log stream names) that have processes, found by their environment
     * variables (readable in {@code /proc} for processes of the same user): what the operating system sees, not what
     * the engine says. An environment may be several processes (a sandbox's and the runtime's).
     */
    private static Set<String> provisionedProcesses(String name) {
        return ProcessHandle.current().descendants().map(p -> EnvironmentProcesses.variables(p.pid()))
                .filter(variables -> variables.contains("AWS_LAMBDA_FUNCTION_NAME=" + name)
                        && variables.contains("AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency"))
                .flatMap(variables -> variables.stream().filter(v -> v.startsWith("AWS_LAMBDA_LOG_STREAM_NAME=")))
                .map(v -> v.substring("AWS_LAMBDA_LOG_STREAM_NAME=".length()))
                .collect(Collectors.toSet());
    }

    private static boolean alive(String environment) {
        return EnvironmentProcesses.alive(environment);
    }

    /** The environment (log stream name) from the reporter's answer, checking how it was initialised. */
    private static String environment(Invocations.Result result, String initialisation) {
        String[] parts = result.payload().replace("\"", "").split(" ");
        assertEquals(initialisation, parts[1], result.payload());
        return parts[0];
    }

    @Test
    void configurationsAreSetReadListedAndDeletedWithAwsFieldsAndErrors() {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            createReporter(lambda, "pc-api");
            lambda.publishVersion(b -> b.functionName("pc-api"));

            InvalidParameterValueException latest = assertThrows(InvalidParameterValueException.class,
                    () -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("$LATEST")
                            .provisionedConcurrentExecutions(1)));
            assertEquals("Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
                    latest.awsErrorDetails().errorMessage());
            AwsServiceException unqualified = assertThrows(AwsServiceException.class,
                    () -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-api")
                            .provisionedConcurrentExecutions(1)));
            assertEquals("ValidationException", unqualified.awsErrorDetails().errorCode());
            ResourceNotFoundException unknown = assertThrows(ResourceNotFoundException.class,
                    () -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("9")
                            .provisionedConcurrentExecutions(1)));
            assertEquals("Function not found: " + ARN + "pc-api:9", unknown.awsErrorDetails().errorMessage());
            AwsServiceException zero = assertThrows(AwsServiceException.class,
                    () -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("1")
                            .provisionedConcurrentExecutions(0)));
            assertEquals("ValidationException", zero.awsErrorDetails().errorCode());
            InvalidParameterValueException overLimit = assertThrows(InvalidParameterValueException.class,
                    () -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("1")
                            .provisionedConcurrentExecutions(901)));
            assertEquals("Specified ConcurrentExecutions for function decreases account's "
                    + "UnreservedConcurrentExecution below its minimum value of [100].",
                    overLimit.awsErrorDetails().errorMessage());

            PutProvisionedConcurrencyConfigResponse put = lambda.putProvisionedConcurrencyConfig(b -> b
                    .functionName("pc-api").qualifier("1").provisionedConcurrentExecutions(2));
            assertEquals(202, put.sdkHttpResponse().statusCode());
            assertEquals(2, put.requestedProvisionedConcurrentExecutions());
            assertEquals(0, put.allocatedProvisionedConcurrentExecutions());
            assertEquals(0, put.availableProvisionedConcurrentExecutions());
            assertEquals(ProvisionedConcurrencyStatusEnum.IN_PROGRESS, put.status());
            assertTrue(put.lastModified().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0000"),
                    put.lastModified());

            awaitStatus(lambda, "pc-api", "1", ProvisionedConcurrencyStatusEnum.READY);
            GetProvisionedConcurrencyConfigResponse ready = get(lambda, "pc-api", "1");
            assertEquals(2, ready.requestedProvisionedConcurrentExecutions());
            assertEquals(2, ready.allocatedProvisionedConcurrentExecutions());
            assertEquals(2, ready.availableProvisionedConcurrentExecutions());
            assertEquals(put.lastModified(), ready.lastModified());
            assertNull(ready.statusReason());
            assertEquals(998, lambda.getAccountSettings(b -> { }).accountLimit().unreservedConcurrentExecutions());

            // A reservation holds the function's provisioned concurrency, and bounds it.
            assertThrows(InvalidParameterValueException.class, () -> lambda.putFunctionConcurrency(b -> b
                    .functionName("pc-api").reservedConcurrentExecutions(1)));
            lambda.putFunctionConcurrency(b -> b.functionName("pc-api").reservedConcurrentExecutions(5));
            assertEquals(995, lambda.getAccountSettings(b -> { }).accountLimit().unreservedConcurrentExecutions());
            InvalidParameterValueException overReserved = assertThrows(InvalidParameterValueException.class,
                    () -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("1")
                            .provisionedConcurrentExecutions(6)));
            assertEquals("Requested Provisioned Concurrency should not be greater than the "
                    + "reservedConcurrentExecution for function", overReserved.awsErrorDetails().errorMessage());
            lambda.deleteFunctionConcurrency(b -> b.functionName("pc-api"));

            // A version is provisioned directly or through an alias, not both.
            lambda.createAlias(b -> b.functionName("pc-api").name("live").functionVersion("1"));
            ResourceConflictException conflict = assertThrows(ResourceConflictException.class,
                    () -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("live")
                            .provisionedConcurrentExecutions(1)));
            assertEquals("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned "
                    + "version", conflict.awsErrorDetails().errorMessage());
            ResourceNotFoundException noAlias = assertThrows(ResourceNotFoundException.class,
                    () -> get(lambda, "pc-api", "nope"));
            assertEquals("Cannot find alias arn: " + ARN + "pc-api:nope", noAlias.awsErrorDetails().errorMessage());
            InvalidParameterValueException getLatest = assertThrows(InvalidParameterValueException.class,
                    () -> get(lambda, "pc-api", "$LATEST"));
            assertEquals("The function resource provided must be an alias or a published version.",
                    getLatest.awsErrorDetails().errorMessage());

            lambda.updateFunctionConfiguration(b -> b.functionName("pc-api").memorySize(256));
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("pc-api"));
            lambda.publishVersion(b -> b.functionName("pc-api"));
            lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("2")
                    .provisionedConcurrentExecutions(1));
            ListProvisionedConcurrencyConfigsResponse first = lambda.listProvisionedConcurrencyConfigs(b -> b
                    .functionName("pc-api").maxItems(1));
            assertEquals(1, first.provisionedConcurrencyConfigs().size());
            ProvisionedConcurrencyConfigListItem item = first.provisionedConcurrencyConfigs().getFirst();
            assertEquals(ARN + "pc-api:1", item.functionArn());
            assertEquals(2, item.requestedProvisionedConcurrentExecutions());
            assertEquals(ProvisionedConcurrencyStatusEnum.READY, item.status());
            assertEquals("1", first.nextMarker());
            ListProvisionedConcurrencyConfigsResponse second = lambda.listProvisionedConcurrencyConfigs(b -> b
                    .functionName("pc-api").marker(first.nextMarker()));
            assertEquals(List.of(ARN + "pc-api:2"), second.provisionedConcurrencyConfigs().stream()
                    .map(ProvisionedConcurrencyConfigListItem::functionArn).toList());
            assertNull(second.nextMarker());

            lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("1"));
            ProvisionedConcurrencyConfigNotFoundException gone = assertThrows(
                    ProvisionedConcurrencyConfigNotFoundException.class, () -> get(lambda, "pc-api", "1"));
            assertEquals(404, gone.statusCode());
            assertEquals("No Provisioned Concurrency Config found for this function",
                    gone.awsErrorDetails().errorMessage());
            // Deleting again is not an error, as in AWS.
            lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("pc-api").qualifier("1"));
            assertEquals(999, lambda.getAccountSettings(b -> { }).accountLimit().unreservedConcurrentExecutions());

            // A deleted version takes its configuration with it.
            lambda.deleteFunction(b -> b.functionName("pc-api").qualifier("2"));
            assertTrue(lambda.listProvisionedConcurrencyConfigs(b -> b.functionName("pc-api"))
                    .provisionedConcurrencyConfigs().isEmpty());
            assertEquals(1000, lambda.getAccountSettings(b -> { }).accountLimit().unreservedConcurrentExecutions());
        }
    }

    @Test
    void provisionedEnvironmentsAreReadyBeforeAnyInvocationAndServeItWarm() {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            createReporter(lambda, "pc-warm");
            lambda.publishVersion(b -> b.functionName("pc-warm"));
            lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-warm").qualifier("1")
                    .provisionedConcurrentExecutions(2));
            awaitStatus(lambda, "pc-warm", "1", ProvisionedConcurrencyStatusEnum.READY);
            assertEquals(2, provisioned(server, "pc-warm", "1"), server.pools().toString());
            Set<String> before = provisionedProcesses("pc-warm");
            assertEquals(2, before.size(), "two environments before any invocation: " + before);

            Invocations.Result warm = Invocations.invoke(lambda, "pc-warm:1", "{}");
            String first = environment(warm, "provisioned-concurrency");
            assertTrue(before.contains(first), first + " is one of " + before);
            assertFalse(warm.log().contains("Init Duration"), warm.log());
            assertTrue(warm.log().contains("REPORT RequestId"), warm.log());
            Invocations.Result onDemand = Invocations.invoke(lambda, "pc-warm", "{}");
            environment(onDemand, "on-demand");
            assertTrue(onDemand.log().contains("Init Duration"), onDemand.log());

            // A killed provisioned environment is replaced; the configuration stays ready.
            EnvironmentProcesses.kill(first);
            Await.until("the killed environment replaced", DEADLINE, () -> {
                Set<String> now = provisionedProcesses("pc-warm");
                return !now.contains(first) && now.size() == 2 && provisioned(server, "pc-warm", "1") == 2;
            });
            assertEquals(ProvisionedConcurrencyStatusEnum.READY, get(lambda, "pc-warm", "1").status());
            Invocations.Result again = Invocations.invoke(lambda, "pc-warm:1", "{}");
            assertNotEquals(first, environment(again, "provisioned-concurrency"));
            assertFalse(again.log().contains("Init Duration"), again.log());

            // Fewer, then none: the surplus environments end.
            lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-warm").qualifier("1")
                    .provisionedConcurrentExecutions(1));
            Await.until("one provisioned environment left", DEADLINE,
                    () -> provisioned(server, "pc-warm", "1") == 1 && provisionedProcesses("pc-warm").size() == 1);
            String remaining = environment(Invocations.invoke(lambda, "pc-warm:1", "{}"), "provisioned-concurrency");
            lambda.deleteFunction(b -> b.functionName("pc-warm"));
            Await.until("the function's provisioned environments end with it", DEADLINE, () -> !alive(remaining));
        }
    }

    @Test
    void anAliasIsProvisionedFollowsItsVersionAndComesBackAfterARestart() {
        try (TestServer server = TestServer.start()) {
            try (LambdaClient lambda = server.lambda()) {
                createReporter(lambda, "pc-alias");
                lambda.publishVersion(b -> b.functionName("pc-alias"));
                lambda.createAlias(b -> b.functionName("pc-alias").name("live").functionVersion("1"));
                lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-alias").qualifier("live")
                        .provisionedConcurrentExecutions(2));
                awaitStatus(lambda, "pc-alias", "live", ProvisionedConcurrencyStatusEnum.READY);
                assertEquals(2, provisioned(server, "pc-alias", "1"), server.pools().toString());
                ResourceConflictException conflict = assertThrows(ResourceConflictException.class,
                        () -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-alias").qualifier("1")
                                .provisionedConcurrentExecutions(1)));
                assertEquals("Version is pointed by a Provisioned Concurrency alias",
                        conflict.awsErrorDetails().errorMessage());
                assertEquals(List.of(ARN + "pc-alias:live"), lambda.listProvisionedConcurrencyConfigs(b -> b
                        .functionName("pc-alias")).provisionedConcurrencyConfigs().stream()
                        .map(ProvisionedConcurrencyConfigListItem::functionArn).toList());
                Invocations.Result viaAlias = Invocations.invoke(lambda, "pc-alias:live", "{}");
                environment(viaAlias, "provisioned-concurrency");
                assertFalse(viaAlias.log().contains("Init Duration"), viaAlias.log());
            }

            server.restart();

            try (LambdaClient lambda = server.lambda()) {
                awaitStatus(lambda, "pc-alias", "live", ProvisionedConcurrencyStatusEnum.READY);
                assertEquals(2, provisioned(server, "pc-alias", "1"), server.pools().toString());
                Invocations.Result afterRestart = Invocations.invoke(lambda, "pc-alias:live", "{}");
                environment(afterRestart, "provisioned-concurrency");
                assertFalse(afterRestart.log().contains("Init Duration"), afterRestart.log());

                // The alias moves to a new version: its environments move with it.
                lambda.updateFunctionConfiguration(b -> b.functionName("pc-alias").memorySize(256));
                lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("pc-alias"));
                lambda.publishVersion(b -> b.functionName("pc-alias"));
                lambda.updateAlias(b -> b.functionName("pc-alias").name("live").functionVersion("2"));
                Await.until("the alias's environments on version 2", DEADLINE,
                        () -> provisioned(server, "pc-alias", "2") == 2 && provisioned(server, "pc-alias", "1") == 0);
                awaitStatus(lambda, "pc-alias", "live", ProvisionedConcurrencyStatusEnum.READY);

                lambda.deleteAlias(b -> b.functionName("pc-alias").name("live"));
                assertTrue(lambda.listProvisionedConcurrencyConfigs(b -> b.functionName("pc-alias"))
                        .provisionedConcurrencyConfigs().isEmpty());
                Await.until("no provisioned environment left", DEADLINE,
                        () -> provisioned(server, "pc-alias", "2") == 0);
            }
        }
    }

    @Test
    void anExpiredProvisionedEnvironmentIsReplacedBeforeItEnds() {
        try (TestServer server = TestServer.start(c -> c.withKeepAlive(Duration.ofSeconds(1))
                .withMaxLifetime(Duration.ofSeconds(3))); LambdaClient lambda = server.lambda()) {
            createReporter(lambda, "pc-expiring");
            lambda.publishVersion(b -> b.functionName("pc-expiring"));
            lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-expiring").qualifier("1")
                    .provisionedConcurrentExecutions(1));
            awaitStatus(lambda, "pc-expiring", "1", ProvisionedConcurrencyStatusEnum.READY);
            Set<String> first = provisionedProcesses("pc-expiring");
            assertEquals(1, first.size(), first.toString());
            // Idle past the keep-alive and then past its lifetime, it is never gone before its replacement runs.
            java.util.concurrent.atomic.AtomicBoolean sawNone = new java.util.concurrent.atomic.AtomicBoolean();
            Await.until("the expired environment replaced", DEADLINE, () -> {
                Set<String> now = provisionedProcesses("pc-expiring");
                sawNone.compareAndSet(false, now.isEmpty());
                return now.size() == 1 && !now.containsAll(first);
            });
            assertFalse(sawNone.get(), "the configuration was never without an environment");
            Invocations.Result warm = Invocations.invoke(lambda, "pc-expiring:1", "{}");
            environment(warm, "provisioned-concurrency");
            assertFalse(warm.log().contains("Init Duration"), warm.log());
            assertEquals(ProvisionedConcurrencyStatusEnum.READY, get(lambda, "pc-expiring", "1").status());
        }
    }

    @Test
    void environmentsThatCannotInitialiseFailTheConfiguration() {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Invocations.function("pc-broken", "python3.12", "app.handler",
                    Packages.python("raise RuntimeError('no init for you')\n")).build());
            lambda.publishVersion(b -> b.functionName("pc-broken"));
            lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc-broken").qualifier("1")
                    .provisionedConcurrentExecutions(1));
            awaitStatus(lambda, "pc-broken", "1", ProvisionedConcurrencyStatusEnum.FAILED);
            GetProvisionedConcurrencyConfigResponse failed = get(lambda, "pc-broken", "1");
            assertEquals("FUNCTION_ERROR_INIT_FAILURE", failed.statusReason());
            assertEquals(0, failed.allocatedProvisionedConcurrentExecutions());
            assertEquals(0, provisioned(server, "pc-broken", "1"));
        }
    }
}
