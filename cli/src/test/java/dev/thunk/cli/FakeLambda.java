package dev.thunk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stateful fake of the Lambda control plane: functions start Pending and updates InProgress, each settling
 * after {@link #settleAfter} reads of their configuration; a configuration update during an update is refused
 * with 409 ResourceConflictException, as AWS does. Lists a page of {@link #pageSize} at a time.
 */
final class FakeLambda implements AutoCloseable {
    private static final String FUNCTION = "/2015-03-31/functions/([^/]+)";

    final FakeServer server = FakeServer.start();
    /** The operations in the order they arrived. */
    final List<String> operations = new CopyOnWriteArrayList<>();
    final Map<String, ObjectNode> functions = new TreeMap<>();
    final Map<String, byte[]> code = new TreeMap<>();
    private final Map<String, Integer> settling = new TreeMap<>();
    int settleAfter = 2;
    int pageSize = 2;
    /** When set, a created function ends Failed with this reason instead of Active. */
    String failReason;

    FakeLambda() {
        server.on("POST", "/2015-03-31/functions/?", (ex, m, body) -> create(ex, body))
                .on("GET", "/2015-03-31/functions/?", (ex, m, body) -> list(ex))
                .on("GET", FUNCTION + "/configuration/?", (ex, m, body) -> configuration(ex, m.group(1)))
                .on("PUT", FUNCTION + "/code/?", (ex, m, body) -> updateCode(ex, m.group(1), body))
                .on("PUT", FUNCTION + "/configuration/?", (ex, m, body) -> updateConfiguration(ex, m.group(1), body))
                .on("DELETE", FUNCTION + "/?", (ex, m, body) -> delete(ex, m.group(1)));
    }

    String endpoint() {
        return server.endpoint();
    }

    /** Adds an Active function directly. */
    synchronized void put(String name, String runtime) {
        ObjectNode f = ThunkClient.JSON.createObjectNode().put("FunctionName", name)
                .put("FunctionArn", "arn:aws:lambda:us-east-1:000000000000:function:" + name)
                .put("Runtime", runtime).put("Handler", "app.handler").put("MemorySize", 128).put("Timeout", 3)
                .put("LastModified", "2026-11-22T09:00:00.000+0000").put("CodeSha256", "old")
                .put("State", "Active").put("LastUpdateStatus", "Successful");
        functions.put(name, f);
    }

    private synchronized void create(HttpExchange ex, byte[] body) throws IOException {
        operations.add("CreateFunction");
        JsonNode request = ThunkClient.JSON.readTree(body);
        String name = request.path("FunctionName").asText();
        if (functions.containsKey(name)) {
            FakeServer.awsError(ex, 409, "ResourceConflictException", "message", "Function already exist: " + name);
            return;
        }
        ObjectNode f = ((ObjectNode) request.deepCopy());
        code.put(name, Base64.getDecoder().decode(f.remove("Code").path("ZipFile").asText()));
        f.put("FunctionArn", "arn:aws:lambda:us-east-1:000000000000:function:" + name)
                .put("CodeSha256", "sha-" + code.get(name).length)
                .put("LastModified", "2026-11-22T10:00:00.000+0000").put("State", "Pending");
        f.putIfAbsent("MemorySize", ThunkClient.JSON.getNodeFactory().numberNode(128));
        f.putIfAbsent("Timeout", ThunkClient.JSON.getNodeFactory().numberNode(3));
        functions.put(name, f);
        settling.put(name, settleAfter);
        FakeServer.reply(ex, 201, "application/json", f.toString(), Map.of());
    }

    private synchronized void configuration(HttpExchange ex, String name) throws IOException {
        operations.add("GetFunctionConfiguration");
        ObjectNode f = functions.get(name);
        if (f == null) {
            notFound(ex, name);
            return;
        }
        int left = settling.getOrDefault(name, 0);
        if (left > 0 && --left == 0) {
            if (f.path("State").asText().equals("Pending")) {
                f.put("State", failReason == null ? "Active" : "Failed");
                if (failReason != null) {
                    f.put("StateReason", failReason);
                }
            }
            if (f.path("LastUpdateStatus").asText().equals("InProgress")) {
                f.put("LastUpdateStatus", "Successful");
            }
        }
        settling.put(name, left);
        FakeServer.reply(ex, 200, "application/json", f.toString(), Map.of());
    }

    private synchronized void updateCode(HttpExchange ex, String name, byte[] body) throws IOException {
        operations.add("UpdateFunctionCode");
        ObjectNode f = functions.get(name);
        if (f == null) {
            notFound(ex, name);
            return;
        }
        if (!conflict(ex, name, f)) {
            code.put(name, Base64.getDecoder().decode(ThunkClient.JSON.readTree(body).path("ZipFile").asText()));
            f.put("CodeSha256", "sha-" + code.get(name).length).put("LastUpdateStatus", "InProgress");
            settling.put(name, settleAfter);
            FakeServer.reply(ex, 200, "application/json", f.toString(), Map.of());
        }
    }

    private synchronized void updateConfiguration(HttpExchange ex, String name, byte[] body) throws IOException {
        operations.add("UpdateFunctionConfiguration");
        ObjectNode f = functions.get(name);
        if (f == null) {
            notFound(ex, name);
            return;
        }
        if (!conflict(ex, name, f)) {
            f.setAll((ObjectNode) ThunkClient.JSON.readTree(body));
            f.put("LastUpdateStatus", "InProgress");
            settling.put(name, settleAfter);
            FakeServer.reply(ex, 200, "application/json", f.toString(), Map.of());
        }
    }

    private boolean conflict(HttpExchange ex, String name, ObjectNode f) throws IOException {
        if (f.path("LastUpdateStatus").asText().equals("InProgress")) {
            FakeServer.awsError(ex, 409, "ResourceConflictException", "message",
                    "The operation cannot be performed at this time. An update is in progress for resource: "
                            + f.path("FunctionArn").asText());
            return true;
        }
        return false;
    }

    private synchronized void list(HttpExchange ex) throws IOException {
        operations.add("ListFunctions");
        String query = ex.getRequestURI().getRawQuery();
        int start = query == null ? 0 : Integer.parseInt(query.replace("Marker=", "").replace("m", ""));
        List<ObjectNode> all = new ArrayList<>(functions.values());
        ObjectNode page = ThunkClient.JSON.createObjectNode();
        all.subList(start, Math.min(all.size(), start + pageSize)).forEach(page.putArray("Functions")::add);
        if (start + pageSize < all.size()) {
            page.put("NextMarker", "m" + (start + pageSize));
        }
        FakeServer.reply(ex, 200, "application/json", page.toString(), Map.of());
    }

    private synchronized void delete(HttpExchange ex, String name) throws IOException {
        operations.add("DeleteFunction");
        if (functions.remove(name) == null) {
            notFound(ex, name);
            return;
        }
        FakeServer.reply(ex, 204, "application/json", "", Map.of());
    }

    private static void notFound(HttpExchange ex, String name) throws IOException {
        FakeServer.awsError(ex, 404, "ResourceNotFoundException", "Message",
                "Function not found: arn:aws:lambda:us-east-1:000000000000:function:" + name);
    }

    @Override
    public void close() {
        server.close();
    }
}
