package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A hostile function inside the bubblewrap sandbox: it cannot see another function's code or Thunk's database,
 * cannot write outside its {@code /tmp}, cannot fill {@code /tmp} past its EphemeralStorage size, and its fork bomb
 * stops at the environment's process limit, while the server and a neighbour keep serving. Runs where bubblewrap is
 * installed (the CI script installs it); elsewhere there is no sandbox to test.
 */
class SandboxIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ATTACKER = """
            import errno, json, os, time
            def attempt(action):
                try:
                    return {"ok": True, "result": action()}
                except OSError as e:
                    return {"ok": False, "errno": e.errno, "error": str(e)}
            def fill_tmp():
                chunk = b"x" * (1 << 20)
                written = 0
                with open("/tmp/fill", "wb") as f:
                    try:
                        while written < (2 << 30):
                            f.write(chunk)
                            f.flush()
                            written += len(chunk)
                    finally:
                        os.remove("/tmp/fill")
                return written
            def fork_bomb():
                children = 0
                while children < 5000:
                    pid = os.fork()
                    if pid == 0:
                        time.sleep(20)
                        os._exit(0)
                    children += 1
                return children
            def handler(event, context):
                action = event["action"]
                if action == "list":
                    return attempt(lambda: os.listdir(event["path"]))
                if action == "read":
                    return attempt(lambda: len(open(event["path"], "rb").read()))
                if action == "write":
                    return attempt(lambda: open(event["path"], "w").write("owned"))
                if action == "fill":
                    return attempt(fill_tmp)
                if action == "fork":
                    return attempt(fork_bomb)
                if action == "whoami":
                    return {"uid": os.getuid(), "taskRoot": os.environ["LAMBDA_TASK_ROOT"],
                            "tmp": os.statvfs("/tmp").f_blocks * os.statvfs("/tmp").f_frsize}
            """;

    static TestServer server;
    static LambdaClient lambda;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        lambda = server.lambda();
        assumeTrue(server.describe().stream().anyMatch(line -> line.startsWith("sandbox: bubblewrap")),
                "bubblewrap is not installed: " + server.describe());
        Functions.createActive(lambda, Invocations.function("attacker", "python3.12", "app.handler",
                Packages.python(ATTACKER)).memorySize(1024).timeout(60).build());
        Functions.createActive(lambda, Invocations.function("neighbour", "python3.12", "app.handler",
                Packages.python(ATTACKER.replace("import errno", "SECRET = 'neighbour code'\nimport errno")))
                .build());
    }

    @AfterAll
    static void stop() {
        if (lambda != null) {
            lambda.close();
        }
        server.close();
    }

    private static JsonNode attack(String event) throws IOException {
        Invocations.Result result = Invocations.invoke(lambda, "attacker", event);
        assertEquals(null, result.functionError(), result.payload());
        return JSON.readTree(result.payload());
    }

    /** The neighbour still answers: the attack stayed inside the attacker's sandbox. */
    private static void neighbourServes() throws IOException {
        Invocations.Result result = Invocations.invoke(lambda, "neighbour", "{\"action\":\"whoami\"}");
        assertEquals(null, result.functionError(), result.payload());
    }

    @Test
    void anotherFunctionsCodeAndTheDatabaseAreInvisible() throws IOException {
        String neighbourRoot = JSON.readTree(Invocations.invoke(lambda, "neighbour", "{\"action\":\"whoami\"}")
                .payload()).get("taskRoot").asText();
        JsonNode listing = attack("{\"action\":\"list\",\"path\":" + JSON.writeValueAsString(neighbourRoot) + "}");
        assertEquals(false, listing.get("ok").asBoolean(), listing.toString());
        assertEquals(2, listing.get("errno").asInt(), "ENOENT: " + listing);
        String database = server.dataDir().resolve("thunk.db").toString();
        JsonNode read = attack("{\"action\":\"read\",\"path\":" + JSON.writeValueAsString(database) + "}");
        assertEquals(false, read.get("ok").asBoolean(), read.toString());
        assertEquals(2, read.get("errno").asInt(), "ENOENT: " + read);
        neighbourServes();
    }

    @Test
    void nothingOutsideTmpIsWritable() throws IOException {
        JsonNode self = attack("{\"action\":\"whoami\"}");
        assertTrue(self.get("uid").asInt() != 0, "not root inside: " + self);
        for (String path : new String[] {self.get("taskRoot").asText() + "/app.py", "/etc/thunk-owned",
                "/usr/thunk-owned", "/opt/thunk-owned"}) {
            JsonNode write = attack("{\"action\":\"write\",\"path\":" + JSON.writeValueAsString(path) + "}");
            assertEquals(false, write.get("ok").asBoolean(), path + ": " + write);
            assertEquals(30, write.get("errno").asInt(), "EROFS for " + path + ": " + write);
        }
        JsonNode tmp = attack("{\"action\":\"write\",\"path\":\"/tmp/mine\"}");
        assertEquals(true, tmp.get("ok").asBoolean(), tmp.toString());
        neighbourServes();
    }

    @Test
    void tmpStopsAtItsEphemeralStorageSize() throws IOException {
        assertEquals(512L << 20, attack("{\"action\":\"whoami\"}").get("tmp").asLong(), "/tmp is 512 MB");
        JsonNode fill = attack("{\"action\":\"fill\"}");
        assertEquals(false, fill.get("ok").asBoolean(), fill.toString());
        assertEquals(28, fill.get("errno").asInt(), "ENOSPC: " + fill);
        neighbourServes();
    }

    @Test
    void aForkBombStopsAtTheProcessLimit() throws IOException {
        assumeTrue(server.describe().stream().anyMatch(line -> line.contains("cgroup pids controller")),
                "no pids controller: " + server.describe());
        JsonNode bomb = attack("{\"action\":\"fork\"}");
        assertEquals(false, bomb.get("ok").asBoolean(), bomb.toString());
        assertEquals(11, bomb.get("errno").asInt(), "EAGAIN from fork: " + bomb);
        neighbourServes();
    }
}
