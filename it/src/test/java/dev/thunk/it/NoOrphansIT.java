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

    /** Starts one warm environment per runtime and returns their process ids. */
    private static List<Long> warmEnvironments(LambdaClient lambda) {
        Functions.createActive(lambda, Invocations.function("pid-python", "python3.12", "app.handler",
                Packages.python("import os\ndef handler(e, c):\n    return os.getpid()\n")).build());
        Functions.createActive(lambda, Invocations.function("pid-node", "nodejs20.x", "index.handler",
                Packages.node("exports.handler = async () => process.pid;\n")).build());
        Functions.createActive(lambda, Invocations.function("pid-java", "java21",
                "dev.thunk.it.handlers.Hello::handleRequest", Packages.java()).build());
        List<Long> pids = new ArrayList<>();
        pids.add(Long.parseLong(Invocations.invoke(lambda, "pid-python", "{}").payload()));
        pids.add(Long.parseLong(Invocations.invoke(lambda, "pid-node", "{}").payload()));
        String java = Invocations.invoke(lambda, "pid-java", "{}").payload();
        Matcher pid = Pattern.compile("\"pid\":(\\d+)").matcher(java);
        assertTrue(pid.find(), java);
        pids.add(Long.parseLong(pid.group(1)));
        pids.forEach(p -> assertTrue(alive(p), "environment " + p + " runs while its server does"));
        return pids;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void stoppingTheServerEndsEveryEnvironment() {
        List<Long> pids;
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            pids = warmEnvironments(lambda);
        }
        Await.until("environments gone after stop", Duration.ofSeconds(10),
                () -> pids.stream().noneMatch(NoOrphansIT::alive));
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
            List<Long> pids;
            try (LambdaClient lambda = server.lambda()) {
                pids = warmEnvironments(lambda);
            }
            server.kill();
            // The requirement is "within a second"; the deadline is wider only to absorb a loaded machine.
            Await.until("environments gone after SIGKILL", Duration.ofSeconds(5),
                    () -> pids.stream().noneMatch(NoOrphansIT::alive));
        }
    }
}
