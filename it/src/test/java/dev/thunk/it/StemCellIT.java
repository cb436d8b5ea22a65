package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thunk.server.ServerConfig;
import dev.thunk.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stem cells: after a cold start of a runtime, the server keeps a process of that runtime started ahead of need,
 * and the next function's cold start binds it. The bound environment sees its own variables (and not another
 * function's) through the language's normal API, writes its own log, stays inside its memory limit and its
 * sandbox, and no cell outlives the server.
 */
class StemCellIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COUNTS =
            Pattern.compile("^stem cells: ready=(\\d+), idle=\\d+, starting=(\\d+), bound=(\\d+)");

    /** Answers some of its variables and its process's age, from {@code /proc} (clock ticks: 10 ms steps). */
    private static final String PYTHON_PROBE = """
            import os
            def age_ms():
                start = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])
                uptime = float(open("/proc/uptime").read().split()[0])
                return int((uptime - start / os.sysconf("SC_CLK_TCK")) * 1000)
            def handler(event, context):
                print("probe of " + os.environ["AWS_LAMBDA_FUNCTION_NAME"])
                return {"function": os.environ["AWS_LAMBDA_FUNCTION_NAME"], "mine": os.environ.get("MINE"),
                        "theirs": os.environ.get("THEIRS"), "cell": os.environ.get("THUNK_STEM_CELL"),
                        "runtimeApi": os.environ["AWS_LAMBDA_RUNTIME_API"], "taskRoot": os.environ["LAMBDA_TASK_ROOT"],
                        "ageMs": age_ms()}
            """;
    private static final String NODE_PROBE = """
            const fs = require('fs');
            function ageMs() {
              const start = Number(fs.readFileSync('/proc/self/stat', 'utf8').split(')').pop().trim().split(' ')[19]);
              const uptime = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
              return Math.round((uptime - start / 100) * 1000);
            }
            exports.handler = async () => {
              console.log('probe of ' + process.env.AWS_LAMBDA_FUNCTION_NAME);
              return { function: process.env.AWS_LAMBDA_FUNCTION_NAME, mine: process.env.MINE || null,
                theirs: process.env.THEIRS || null, cell: process.env.THUNK_STEM_CELL || null,
                runtimeApi: process.env.AWS_LAMBDA_RUNTIME_API, taskRoot: process.env.LAMBDA_TASK_ROOT, ageMs: ageMs() };
            };
            """;

    static Stream<Arguments> runtimes() {
        return Stream.of(
                Arguments.of("python3.12", "app.handler", Packages.python(PYTHON_PROBE)),
                Arguments.of("nodejs20.x", "index.handler", Packages.node(NODE_PROBE)),
                Arguments.of("java21", "dev.thunk.it.handlers.Probe::handleRequest", Packages.java()));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aSecondFunctionStartsFromAStemCellAndSeesOnlyItsOwnVariables(String runtime, String handler, byte[] code)
            throws Exception {
        secondFunctionFromACell(UnaryOperator.identity(), runtime, handler, code);
    }

    /** The same without bubblewrap: cells are plain processes with a parent-death signal. */
    @ParameterizedTest
    @MethodSource("runtimes")
    void withoutASandboxToo(String runtime, String handler, byte[] code) throws Exception {
        secondFunctionFromACell(c -> c.withLaunch(ServerConfig.LaunchOptions.defaults().withBubblewrap(false)),
                runtime, handler, code);
    }

    private static void secondFunctionFromACell(UnaryOperator<ServerConfig> settings, String runtime, String handler,
                                                byte[] code) throws Exception {
        try (TestServer server = TestServer.start(settings); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Invocations.function("first", runtime, handler, code)
                    .environment(b -> b.variables(Map.of("THEIRS", "first's secret"))).build());
            JsonNode first = JSON.readTree(Invocations.invoke(lambda, "first", "{}").payload());
            assertEquals("first's secret", first.get("theirs").asText(), first.toString());
            assertEquals(0, counts(server)[2], "the first cold start found no cell: " + server.pools());

            // That cold start made the pool grow: a cell of this runtime is started and waits.
            Await.until("a stem cell is ready", Duration.ofSeconds(60), () -> counts(server)[0] >= 1);
            long readySince = System.nanoTime();
            Functions.createActive(lambda, Invocations.function("second", runtime, handler, code)
                    .environment(b -> b.variables(Map.of("MINE", "second's own"))).build());
            Invocations.Result result = Invocations.invoke(lambda, "second", "{}");
            long sinceReady = (System.nanoTime() - readySince) / 1_000_000;

            assertEquals(1, counts(server)[2], "the second cold start bound the cell: " + server.pools());
            JsonNode second = JSON.readTree(result.payload());
            assertEquals("second", second.get("function").asText(), second.toString());
            assertEquals("second's own", second.get("mine").asText(), second.toString());
            assertTrue(absent(second, "theirs"), "no other function's variable: " + second);
            assertTrue(absent(second, "cell"), "the cell's start-up variables are gone: " + second);
            assertTrue(second.get("taskRoot").asText().startsWith(server.dataDir().resolve("cells").toString()),
                    second.toString());
            // The process existed before the function did: it was started ahead of need (/proc counts in 10 ms).
            assertTrue(second.get("ageMs").asLong() + 20 >= sinceReady,
                    "process age " + second.get("ageMs") + " ms, cell ready " + sinceReady + " ms before the answer");
            assertTrue(result.log().startsWith("START RequestId: "), result.log());
            assertTrue(result.log().contains("probe of second"), result.log());
            assertTrue(result.log().contains("\tInit Duration: "), result.log());
            assertFalse(result.log().contains("probe of first"), result.log());
            // Warm from here on, in the same environment.
            Invocations.Result again = Invocations.invoke(lambda, "second", "{}");
            assertFalse(again.log().contains("Init Duration"), again.log());
            assertEquals("second's own", JSON.readTree(again.payload()).get("mine").asText());
        }
    }

    @Test
    void aFunctionBoundFromACellIsHeldToItsMemorySize() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            assumeTrue(server.describe().stream().anyMatch(line -> line.startsWith("memory limits: cgroup")),
                    "this machine has no writable cgroup memory controller: " + server.describe());
            byte[] hog = Packages.python("""
                    def handler(event, context):
                        hoard = "x" * (event["mb"] << 20)
                        return len(hoard)
                    """);
            Functions.createActive(lambda, Invocations.function("hog-a", "python3.12", "app.handler", hog)
                    .memorySize(128).timeout(30).build());
            Functions.createActive(lambda, Invocations.function("hog-b", "python3.12", "app.handler", hog)
                    .memorySize(128).timeout(30).build());
            assertEquals(String.valueOf(1 << 20), Invocations.invoke(lambda, "hog-a", "{\"mb\":1}").payload());
            Await.until("a stem cell is ready", Duration.ofSeconds(60), () -> counts(server)[0] >= 1);

            Invocations.Result result = Invocations.invoke(lambda, "hog-b", "{\"mb\":400}");
            assertEquals(1, counts(server)[2], "hog-b was bound from a cell: " + server.pools());
            assertEquals("Unhandled", result.functionError(), result.payload());
            assertEquals("Runtime.OutOfMemory", JSON.readTree(result.payload()).get("errorType").asText());
            assertTrue(result.log().contains("\tStatus: error\tError Type: Runtime.OutOfMemory"), result.log());
        }
    }

    @Test
    void aFunctionBoundFromACellSeesNeitherOtherCodeNorTheDataDirectory() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            assumeTrue(server.describe().stream().anyMatch(line -> line.startsWith("sandbox: bubblewrap")),
                    "no bubblewrap on this machine: " + server.describe());
            String looker = """
                    import os
                    def attempt(action):
                        try:
                            return action()
                        except OSError as e:
                            return "errno %d" % e.errno
                    def handler(event, context):
                        return {p: attempt(lambda: sorted(os.listdir(p))) for p in event["paths"]}
                    """;
            Functions.createActive(lambda, Invocations.function("victim", "python3.12", "app.handler",
                    Packages.python("def handler(e, c):\n    return 'victim'\n")).build());
            Functions.createActive(lambda, Invocations.function("looker", "python3.12", "app.handler",
                    Packages.python(looker)).build());
            assertEquals("\"victim\"", Invocations.invoke(lambda, "victim", "{}").payload());
            Await.until("a stem cell is ready", Duration.ofSeconds(60), () -> counts(server)[0] >= 1);

            String data = server.dataDir().toString();
            List<String> paths = List.of(data, data + "/cells", data + "/code/unpacked", data + "/logs");
            JsonNode seen = JSON.readTree(Invocations.invoke(lambda, "looker",
                    JSON.writeValueAsString(Map.of("paths", paths))).payload());
            assertEquals(1, counts(server)[2], "looker was bound from a cell: " + server.pools());
            assertEquals("[\"cells\",\"runtimes\"]", seen.get(data).toString(), seen.toString());
            assertEquals(1, seen.get(data + "/cells").size(), "only its own cell: " + seen);
            assertTrue(seen.get(data + "/code/unpacked").asText().startsWith("errno"), seen.toString());
            assertTrue(seen.get(data + "/logs").asText().startsWith("errno"), seen.toString());
        }
    }

    @Test
    void stemCellsEndWithTheServer() {
        List<ProcessHandle> cells;
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Invocations.function("starter", "nodejs20.x", "index.handler",
                    Packages.node("exports.handler = async () => 'ok';\n")).build());
            Invocations.invoke(lambda, "starter", "{}");
            Await.until("a stem cell is ready", Duration.ofSeconds(60), () -> counts(server)[0] >= 1);
            cells = EnvironmentProcesses.stemCells(server.dataDir());
            assertFalse(cells.isEmpty(), "the idle cell's processes are found");
        }
        Await.until("stem cells gone after stop", Duration.ofSeconds(10),
                () -> cells.stream().noneMatch(ProcessHandle::isAlive));
    }

    /** Null, or left out (the Java runtime's JSON mapping leaves out null map values). */
    private static boolean absent(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode();
    }

    /** {@code ready, starting, bound} from the engine's stem cell line. */
    static long[] counts(TestServer server) {
        for (String line : server.pools()) {
            Matcher m = COUNTS.matcher(line);
            if (m.find()) {
                return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
            }
        }
        throw new AssertionError("no stem cell line in " + server.pools());
    }
}
