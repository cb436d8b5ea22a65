package dev.thunk.it;

import dev.thunk.cli.Cli;
import dev.thunk.testkit.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading logs over HTTP (including following them), the thunk CLI end to end, and dead idle environments. */
class LogsAndCliIT extends SharedServerIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Functions.createActive(lambda, Invocations.function("logger", "python3.12", "app.handler", Packages.python("""
                def handler(event, context):
                    print("line for", event["n"])
                    return context.log_stream_name
                """)).build());
    }

    private static List<String> messages(String body) {
        List<String> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                int at = line.indexOf("\"message\":\"");
                out.add(line.substring(at + 11, line.lastIndexOf('"')));
            }
        }
        return out;
    }

    @Test
    void logsAreReadByTimeAndFollowed() throws Exception {
        Invocations.invoke(lambda, "logger", "{\"n\":1}");
        long between = System.currentTimeMillis();
        Await.until("a later millisecond", Duration.ofSeconds(1), () -> System.currentTimeMillis() > between);
        Invocations.invoke(lambda, "logger", "{\"n\":2}");

        HttpResponse<String> all = HTTP.send(get("/thunk/logs/logger"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, all.statusCode());
        assertEquals("application/x-ndjson", all.headers().firstValue("Content-Type").orElse(""));
        List<String> messages = messages(all.body());
        assertTrue(messages.contains("line for 1") && messages.contains("line for 2"), messages.toString());
        assertTrue(messages.get(0).startsWith("START RequestId: "), messages.toString());
        assertTrue(all.body().contains("\"logStreamName\":\"20"), all.body());

        String later = HTTP.send(get("/thunk/logs/logger?start=" + (between + 1)), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(messages(later).contains("line for 2") && !messages(later).contains("line for 1"), later);

        HttpResponse<String> missing = HTTP.send(get("/thunk/logs/nobody"), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());

        List<String> followed = new CopyOnWriteArrayList<>();
        try (var pool = Executors.newSingleThreadExecutor()) {
            Future<?> reader = pool.submit(() -> {
                HttpResponse<java.util.stream.Stream<String>> stream = HTTP.send(
                        get("/thunk/logs/logger?follow=true&start=" + System.currentTimeMillis()), HttpResponse.BodyHandlers.ofLines());
                stream.body().forEach(line -> followed.addAll(messages(line)));
                return null;
            });
            // The follower may connect after an invocation: invoke until one of its lines arrives through it.
            Await.until("a followed line", Duration.ofSeconds(20), () -> {
                Invocations.invoke(lambda, "logger", "{\"n\":3}");
                return followed.contains("line for 3");
            });
            reader.cancel(true);
        }
    }

    @Test
    void theCliDeploysInvokesListsAndRemoves(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.py"), "def handler(event, context):\n    return 'hi ' + event['name']\n");
        assertEquals(0, cli("deploy", dir.toString(), "--name", "from-cli", "--runtime", "python3.12",
                "--handler", "app.handler", "--memory", "256").code());
        CliRun invoked = cli("invoke", "from-cli", "{\"name\":\"Ada\"}");
        assertEquals(0, invoked.code(), invoked.err());
        assertEquals("\"hi Ada\"", invoked.out().strip());
        assertTrue(cli("ls").out().contains("from-cli"));
        assertEquals(256, lambda.getFunctionConfiguration(b -> b.functionName("from-cli")).memorySize());

        Files.writeString(dir.resolve("app.py"), "def handler(event, context):\n    return 'bye ' + event['name']\n");
        assertEquals(0, cli("deploy", dir.toString(), "--name", "from-cli", "--runtime", "python3.12",
                "--handler", "app.handler").code());
        assertEquals("\"bye Ada\"", cli("invoke", "from-cli", "{\"name\":\"Ada\"}").out().strip(),
                "a redeploy updates the code and retires the old environments");

        assertTrue(cli("logs", "from-cli").out().contains("REPORT RequestId:"));
        assertEquals(0, cli("rm", "from-cli").code());
        CliRun gone = cli("invoke", "from-cli", "{}");
        assertEquals(1, gone.code());
        assertTrue(gone.err().contains("ResourceNotFoundException"), gone.err());
    }

    @Test
    void theCliPrintsAStreamedAnswerAndItsError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.js"), """
                exports.handler = awslambda.streamifyResponse(async (event, stream) => {
                  for (const word of ['one ', 'two ', 'three']) stream.write(word);
                  if (event.fail) throw new Error('no four');
                  stream.end();
                });
                """);
        assertEquals(0, cli("deploy", dir.toString(), "--name", "cli-stream", "--runtime", "nodejs20.x",
                "--handler", "index.handler").code());
        CliRun streamed = cli("invoke", "cli-stream", "{}", "--stream", "--log");
        assertEquals(0, streamed.code(), streamed.err());
        assertEquals("one two three\n", streamed.out());
        assertTrue(streamed.err().contains("REPORT RequestId: "), streamed.err());

        CliRun failed = cli("invoke", "cli-stream", "{\"fail\":true}", "--stream");
        assertEquals(1, failed.code());
        assertEquals("one two three\n", failed.out());
        assertEquals("Error: no four\n", failed.err());

        CliRun missing = cli("invoke", "nowhere", "{}", "--stream");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("ResourceNotFoundException"), missing.err());
    }

    /** The examples as their README deploys them: each greets by name and logs one line. */
    @ParameterizedTest
    @CsvSource({"python, python3.12, app.handler", "node, nodejs22.x, index.handler",
            "provided, provided.al2023, bootstrap", "java, java21, Hello::handleRequest"})
    void theExamplesDeployAndGreet(String example, String runtime, String handler, @TempDir Path dir)
            throws Exception {
        Path source = Path.of("..", "examples", example).toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(!example.equals("provided")
                || Files.isExecutable(Path.of("/usr/bin/curl")), "the shell example needs curl");
        String deployed = source.toString();
        if (example.equals("java")) {
            // build.sh writes hello.jar beside itself: build a copy, not the checkout.
            Path copy = dir.resolve("java");
            Files.createDirectories(copy);
            for (String file : List.of("Hello.java", "build.sh")) {
                Files.copy(source.resolve(file), copy.resolve(file),
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
            ProcessBuilder build = new ProcessBuilder(copy.resolve("build.sh").toString()).redirectErrorStream(true);
            build.environment().put("JAVA_HOME", System.getProperty("java.home"));
            // The aws-lambda-java-core jar this build has (the copy has no Maven Wrapper to fetch one with).
            Path core = Path.of(com.amazonaws.services.lambda.runtime.Context.class.getProtectionDomain()
                    .getCodeSource().getLocation().toURI());
            build.environment().put("AWS_LAMBDA_JAVA_CORE_JAR", core.toString());
            Process process = build.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), "aws-lambda-java-core from " + core + ": " + output);
            deployed = copy.resolve("hello.jar").toString();
        }
        String name = "hello-" + example;
        CliRun deploy = cli("deploy", deployed, "--name", name, "--runtime", runtime, "--handler", handler);
        assertEquals(0, deploy.code(), deploy.err());
        Invocations.Result greeted = Invocations.invoke(lambda, name, "{\"name\":\"Ada\"}");
        assertEquals(null, greeted.functionError(), greeted.payload() + greeted.log());
        assertTrue(greeted.payload().startsWith("\"Hello, Ada, from "), greeted.payload());
        assertTrue(greeted.log().contains("greeting Ada"), greeted.log());
        assertEquals(0, cli("rm", name).code());
    }

    /** The streaming example as its README deploys and invokes it. */
    @Test
    void theStreamingExampleStreamsItsGreeting() {
        String source = Path.of("..", "examples", "node-streaming").toAbsolutePath().normalize().toString();
        CliRun deploy = cli("deploy", source, "--name", "hello-stream", "--runtime", "nodejs22.x",
                "--handler", "index.handler");
        assertEquals(0, deploy.code(), deploy.err());
        CliRun streamed = cli("invoke", "hello-stream", "{\"name\":\"Ada\"}", "--stream", "--log");
        assertEquals(0, streamed.code(), streamed.err());
        assertEquals("Hello, Ada, from a stream!\n", streamed.out());
        assertTrue(streamed.err().contains("streaming a greeting to Ada"), streamed.err());
        assertEquals("Hello, Ada, from a stream!",
                Invocations.invoke(lambda, "hello-stream", "{\"name\":\"Ada\"}").payload(), "Invoke gets it whole");
        assertEquals(0, cli("rm", "hello-stream").code());
    }

    @Test
    void anIdleEnvironmentThatDiedIsNotHandedWork() throws Exception {
        String environment = Invocations.invoke(lambda, "logger", "{\"n\":4}").payload();
        EnvironmentProcesses.kill(ConcurrencyIT.unquoted(environment));
        Await.until("the idle environment is dead", Duration.ofSeconds(5),
                () -> !EnvironmentProcesses.alive(ConcurrencyIT.unquoted(environment)));
        Invocations.Result next = Invocations.invoke(lambda, "logger", "{\"n\":5}");
        assertEquals(null, next.functionError(), next.payload());
        assertNotEquals(environment, next.payload());
    }

    /** A GET of Thunk's own paths, signed like any control-plane request. */
    private static HttpRequest get(String pathAndQuery) {
        return Signing.request(server.identity(), "GET", URI.create(server.endpoint() + pathAndQuery),
                java.util.Map.of(), new byte[0]).build();
    }

    private record CliRun(int code, String out, String err) {
    }

    private static CliRun cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--endpoint");
        all.add(server.endpoint());
        all.add("--credentials");
        all.add(server.dataDir().resolve("aws-credentials").toString());
        int code = Cli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
