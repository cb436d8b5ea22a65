package dev.thunk.it;

import dev.thunk.testkit.Await;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** No environment outlives its server: not after a clean stop, not after the server is killed with SIGKILL. */
class NoOrphansIT {

    /** Starts one warm environment per runtime and returns their log stream names. */
    private static List<String> warmEnvironments(LambdaClient lambda) {
        Functions.createActive(lambda, Invocations.function("env-python", "python3.12", "app.handler",
                Packages.python("def handler(e, c):\n    return c.log_stream_name\n")).build());
        Functions.createActive(lambda, Invocations.function("env-node", "nodejs20.x", "index.handler",
                Packages.node("exports.handler = async (e, c) => c.logStreamName;\n")).build());
        Functions.createActive(lambda, Invocations.function("env-java", "java21",
                "dev.thunk.it.handlers.Hello::handleRequest", Packages.java()).build());
        List<String> streams = new ArrayList<>();
        streams.add(ConcurrencyIT.unquoted(Invocations.invoke(lambda, "env-python", "{}").payload()));
        streams.add(ConcurrencyIT.unquoted(Invocations.invoke(lambda, "env-node", "{}").payload()));
        String java = Invocations.invoke(lambda, "env-java", "{}").payload();
        Matcher stream = Pattern.compile("\"logStreamName\":\"([^\"]+)\"").matcher(java);
        assertTrue(stream.find(), java);
        streams.add(stream.group(1).replace("\\/", "/"));
        streams.forEach(s -> assertTrue(alive(s), "environment " + s + " runs while its server does"));
        return streams;
    }

    private static boolean alive(String logStream) {
        return EnvironmentProcesses.alive(logStream);
    }

    /** Host processes whose environment names the function: its environments, cells bound to it included. */
    private static long processesOf(String function) {
        return ProcessHandle.current().descendants()
                .filter(p -> EnvironmentProcesses.variables(p.pid()).contains("AWS_LAMBDA_FUNCTION_NAME=" + function))
                .count();
    }

    @Test
    void deletingAFunctionWhileItScalesOutEndsEveryOneOfItsEnvironments() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Invocations.function("scaling", "python3.12", "app.handler",
                    Packages.python("import time\ndef handler(e, c):\n    time.sleep(1)\n")).timeout(30).build());
            List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 100; i++) {
                    calls.add(pool.submit(() -> Invocations.invoke(lambda, "scaling", "{}")));
                }
                for (var call : calls) {
                    call.get();
                }
            }
            assertTrue(processesOf("scaling") > 0, "environments run before the delete");
            lambda.deleteFunction(b -> b.functionName("scaling"));
            Await.until("every environment of the deleted function ended", Duration.ofSeconds(10),
                    () -> processesOf("scaling") == 0);
        }
    }

    @Test
    void stoppingTheServerEndsEveryEnvironment() {
        List<String> environments;
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            environments = warmEnvironments(lambda);
        }
        Await.until("environments gone after stop", Duration.ofSeconds(10),
                () -> environments.stream().noneMatch(NoOrphansIT::alive));
    }

    @Test
    void stoppingTheServerEndsABusyEnvironmentOfAFunctionThatChanged() throws Exception {
        java.util.concurrent.CompletableFuture<?> busy;
        ProcessHandle environment;
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Invocations.function("busy", "python3.12", "app.handler",
                    Packages.python("import subprocess, time\ndef handler(e, c):\n"
                            + "    subprocess.Popen(['sleep', '61'])\n    time.sleep(60)\n")).timeout(120).build());
            busy = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    Invocations.invoke(lambda, "busy", "{}");
                } catch (RuntimeException e) {
                    // The server stops under it: any answer, or none, is fine here.
                }
            });
            java.util.concurrent.atomic.AtomicReference<ProcessHandle> found = new java.util.concurrent.atomic.AtomicReference<>();
            // A process the function started: only the engine ends it (a parent-death signal reaches the runtime
            // process alone), so it shows whether stopping the server reached this environment.
            Await.until("the busy environment's child process", Duration.ofSeconds(20), () -> {
                ProcessHandle.current().descendants()
                        .filter(p -> p.info().commandLine().orElse("").endsWith("sleep 61"))
                        .findFirst().ifPresent(found::set);
                return found.get() != null;
            });
            environment = found.get();
            // The change retires the environment's pool while its invocation runs.
            lambda.updateFunctionConfiguration(b -> b.functionName("busy").description("changed"));
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("busy"));
            assertTrue(environment.isAlive(), "the busy environment finishes its invocation first");
        }
        Await.until("the retired busy environment ended with the server", Duration.ofSeconds(10),
                () -> !environment.isAlive());
        busy.cancel(true);
    }

    @Test
    void killingTheServerEndsEveryEnvironment() throws Exception {
        Path dataDir = Files.createTempDirectory("thunk-kill-");
        try (ServerProcess server = ServerProcess.start(dataDir)) {
            List<String> environments;
            try (LambdaClient lambda = server.lambda()) {
                environments = warmEnvironments(lambda);
            }
            // Three cold starts: a stem cell of each runtime is started too.
            Await.until("stem cells started", Duration.ofSeconds(30),
                    () -> EnvironmentProcesses.stemCells(dataDir).size() >= 3);
            List<ProcessHandle> cells = EnvironmentProcesses.stemCells(dataDir);
            server.kill();
            // The requirement is "within a second"; the deadline is wider only to absorb a loaded machine.
            Await.until("environments gone after SIGKILL", Duration.ofSeconds(5),
                    () -> environments.stream().noneMatch(NoOrphansIT::alive));
            Await.until("stem cells gone after SIGKILL", Duration.ofSeconds(5),
                    () -> cells.stream().noneMatch(ProcessHandle::isAlive));
        }
    }
}
