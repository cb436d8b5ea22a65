package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.testkit.TestZip;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of generated hostile requests, each signed (so it reaches the parsers, not just the signature check):
 * wrong JSON types, oversized fields, truncated JSON, bad UTF-8, out-of-range numbers, path traversal and odd names,
 * broken zips, zip bombs, entries and symlinks that escape the package. Every one must get a 4xx with an AWS error
 * type and a message, never a 5xx and never a success, and afterwards the store must be exactly as before. The
 * generator is seeded, so a failure names a request that can be replayed.
 */
class HostileRequestsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 3_000;
    private static final long SEED = 20261122L;
    private static final String ROLE = Functions.ROLE;

    /** One request of the generator, described for the failure report. */
    private record Hostile(String what, String method, String path, byte[] body) {
    }

    @Test
    void hostileRequestsGetAwsErrorsAndChangeNothing() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda();
             HttpClient http = HttpClient.newHttpClient()) {
            Functions.createActive(lambda, Invocations.function("seed", "python3.12", "app.handler",
                    Packages.python("def handler(e, c):\n    return 1\n")).build());
            lambda.publishVersion(b -> b.functionName("seed"));
            lambda.createAlias(b -> b.functionName("seed").name("live").functionVersion("1"));
            lambda.publishLayerVersion(b -> b.layerName("lay").content(c -> c.zipFile(SdkBytes.fromByteArray(
                    TestZip.create().file("python/x.py", "X = 1\n").bytes()))));
            String before = snapshot(lambda);

            Generator generator = new Generator(new Random(SEED));
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                Hostile request = generator.next();
                HttpResponse<String> response = http.send(Signing.request(server.identity(), request.method(),
                        URI.create(server.endpoint() + request.path()), Map.of("Content-Type", "application/json"),
                        request.body()).build(), HttpResponse.BodyHandlers.ofString());
                String problem = problem(response);
                if (problem != null && failures.size() < 25) {
                    failures.add("#" + i + " " + request.what() + " " + request.method() + " "
                            + abbreviate(request.path()) + ": " + problem);
                }
            }
            assertEquals(List.of(), failures, "hostile requests answered wrongly");
            assertEquals(before, snapshot(lambda), "the store is unchanged");
        }
    }

    /** What is wrong with the answer, or null when it is a proper AWS client error. */
    private static String problem(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status >= 500) {
            return "status " + status + " " + abbreviate(response.body());
        }
        if (response.headers().firstValue("x-amzn-ErrorType").isEmpty()) {
            return "no x-amzn-ErrorType: " + status + " " + abbreviate(response.body());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode message = body.has("message") ? body.get("message") : body.get("Message");
            if (message == null || message.asText().isEmpty()) {
                return "no message: " + abbreviate(response.body());
            }
        } catch (IOException e) {
            return "not JSON: " + abbreviate(response.body());
        }
        return null;
    }

    /** Everything a hostile request could have changed, as one comparable text. */
    private static String snapshot(LambdaClient lambda) {
        StringBuilder out = new StringBuilder();
        for (FunctionConfiguration f : lambda.listFunctions(b -> b.maxItems(50)).functions()) {
            out.append(f.toString()).append('\n');
            out.append(lambda.listTags(b -> b.resource(f.functionArn())).tags()).append('\n');
            out.append(lambda.listVersionsByFunction(b -> b.functionName(f.functionName())).versions()).append('\n');
            out.append(lambda.listAliases(b -> b.functionName(f.functionName())).aliases()).append('\n');
            out.append(lambda.getFunctionConcurrency(b -> b.functionName(f.functionName()))).append('\n');
            out.append(lambda.listFunctionEventInvokeConfigs(b -> b.functionName(f.functionName()))
                    .functionEventInvokeConfigs()).append('\n');
        }
        out.append(lambda.listLayers(b -> { }).layers()).append('\n');
        out.append(lambda.listLayerVersions(b -> b.layerName("lay")).layerVersions()).append('\n');
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }

    /**
     * Makes hostile requests: a valid request of some operation, then one mutation that must make it invalid.
     */
    private static final class Generator {
        private final Random random;
        private final List<Supplier<Hostile>> kinds;

        Generator(Random random) {
            this.random = random;
            this.kinds = List.of(this::wrongType, this::oversized, this::truncated, this::badUtf8,
                    this::outOfRange, this::badName, this::badZip, this::notAnObject);
        }

        Hostile next() {
            return kinds.get(random.nextInt(kinds.size())).get();
        }

        /** A valid body per operation, with the JSON type of each field. */
        private record Operation(String name, String method, String path, ObjectNode body) {
        }

        private List<Operation> operations() {
            JsonNodeFactory f = JsonNodeFactory.instance;
            String zip = Base64.getEncoder().encodeToString(Packages.python("def handler(e, c):\n    return 2\n"));
            ObjectNode create = f.objectNode().put("FunctionName", "hostile-fn").put("Runtime", "python3.12")
                    .put("Role", ROLE).put("Handler", "app.handler").put("Description", "d").put("Timeout", 3)
                    .put("MemorySize", 128);
            create.putObject("Code").put("ZipFile", zip);
            create.putObject("Environment").putObject("Variables").put("A", "b");
            create.putObject("Tags").put("k", "v");
            ObjectNode config = f.objectNode().put("Description", "changed").put("Timeout", 5).put("MemorySize", 256)
                    .put("Handler", "app.other");
            config.putObject("Environment").putObject("Variables").put("C", "d");
            ObjectNode alias = f.objectNode().put("Name", "beta").put("FunctionVersion", "1").put("Description", "d");
            ObjectNode layer = f.objectNode().put("Description", "d");
            layer.putObject("Content").put("ZipFile", zip);
            layer.putArray("CompatibleRuntimes").add("python3.12");
            ObjectNode permission = f.objectNode().put("StatementId", "s1").put("Action", "lambda:InvokeFunction")
                    .put("Principal", "123456789012");
            ObjectNode tags = f.objectNode();
            tags.putObject("Tags").put("k2", "v2");
            String arn = URLEncoder.encode("arn:aws:lambda:us-east-1:000000000000:function:seed",
                    StandardCharsets.UTF_8);
            return List.of(
                    new Operation("CreateFunction", "POST", "/2015-03-31/functions", create),
                    new Operation("UpdateFunctionConfiguration", "PUT", "/2015-03-31/functions/seed/configuration",
                            config),
                    new Operation("UpdateFunctionCode", "PUT", "/2015-03-31/functions/seed/code",
                            f.objectNode().put("ZipFile", zip)),
                    new Operation("PutFunctionConcurrency", "PUT", "/2017-10-31/functions/seed/concurrency",
                            f.objectNode().put("ReservedConcurrentExecutions", 5)),
                    new Operation("CreateAlias", "POST", "/2015-03-31/functions/seed/aliases", alias),
                    new Operation("PublishLayerVersion", "POST", "/2018-10-31/layers/lay/versions", layer),
                    new Operation("PutFunctionEventInvokeConfig", "PUT",
                            "/2019-09-25/functions/seed/event-invoke-config",
                            f.objectNode().put("MaximumRetryAttempts", 1).put("MaximumEventAgeInSeconds", 100)),
                    new Operation("AddPermission", "POST", "/2015-03-31/functions/seed/policy", permission),
                    new Operation("TagResource", "POST", "/2017-03-31/tags/" + arn, tags),
                    new Operation("PublishVersion", "POST", "/2015-03-31/functions/seed/versions",
                            f.objectNode().put("Description", "new")));
        }

        private Operation anyOperation() {
            List<Operation> all = operations();
            return all.get(random.nextInt(all.size()));
        }

        private static List<String> fields(ObjectNode body) {
            List<String> names = new ArrayList<>();
            body.fieldNames().forEachRemaining(names::add);
            return names;
        }

        /** A field gets a value of another JSON type. */
        private Hostile wrongType() {
            Operation op = anyOperation();
            List<String> fields = fields(op.body());
            String field = fields.get(random.nextInt(fields.size()));
            JsonNode current = op.body().get(field);
            JsonNodeFactory f = JsonNodeFactory.instance;
            List<JsonNode> others = new ArrayList<>(List.of(f.numberNode(random.nextInt(1000) + 7),
                    f.textNode("text"), f.booleanNode(true), f.arrayNode().add(1).add("x"),
                    f.objectNode().put("nested", 1), f.numberNode(1.5)));
            others.removeIf(o -> o.getNodeType() == current.getNodeType()
                    || (current.isNumber() && o.isNumber()));
            op.body().set(field, others.get(random.nextInt(others.size())));
            return json(op, "wrong type for " + field);
        }

        /** A string field far longer than any limit. */
        private Hostile oversized() {
            Operation op = anyOperation();
            List<String> strings = fields(op.body()).stream().filter(n -> op.body().get(n).isTextual()
                    && !n.equals("ZipFile")).toList();
            if (strings.isEmpty()) {
                return truncated();
            }
            String field = strings.get(random.nextInt(strings.size()));
            op.body().put(field, "x".repeat(70_000 + random.nextInt(200_000)));
            return json(op, "oversized " + field);
        }

        /** A strict prefix of the JSON: never a complete document. */
        private Hostile truncated() {
            Operation op = anyOperation();
            byte[] full = op.body().toString().getBytes(StandardCharsets.UTF_8);
            int cut = 1 + random.nextInt(full.length - 1);
            return new Hostile(op.name() + ": truncated at " + cut, op.method(), op.path(),
                    java.util.Arrays.copyOf(full, cut));
        }

        /** Invalid UTF-8 inside a string value. */
        private Hostile badUtf8() {
            Operation op = anyOperation();
            List<String> strings = fields(op.body()).stream().filter(n -> op.body().get(n).isTextual()).toList();
            if (strings.isEmpty()) {
                return truncated();
            }
            String field = strings.get(random.nextInt(strings.size()));
            String marker = "@@BAD@@";
            op.body().put(field, marker);
            byte[][] sequences = {{(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0xe2, (byte) 0x82},
                    {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};
            byte[] bad = sequences[random.nextInt(sequences.length)];
            String text = op.body().toString();
            int at = text.indexOf(marker);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bad);
            out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
            return new Hostile(op.name() + ": bad UTF-8 in " + field, op.method(), op.path(), out.toByteArray());
        }

        /** Numbers outside AWS's ranges. */
        private Hostile outOfRange() {
            Operation op = anyOperation();
            List<String> numbers = fields(op.body()).stream().filter(n -> op.body().get(n).isNumber()).toList();
            if (numbers.isEmpty()) {
                return wrongType();
            }
            String field = numbers.get(random.nextInt(numbers.size()));
            long[] values = {-1, -2147483648L, 2147483647L, 99_999_999_999L, 1_000_000};
            long value = values[random.nextInt(values.length)];
            if (field.equals("ReservedConcurrentExecutions") && value == 1_000_000) {
                value = -5;
            }
            op.body().put(field, value);
            return json(op, field + "=" + value);
        }

        /** Names in the path that no function can have: traversal, encodings, control characters, length. */
        private Hostile badName() {
            String[] names = {"..", "../seed", "..%2Fseed", "%2e%2e%2fetc%2fpasswd", "seed%00", "seed%0A",
                    "%252e%252e%252f", "s%20eed", "f%C3%BCnf", "x".repeat(200), "seed:..", "seed:%2e%2e",
                    "arn:aws:lambda:us-east-1:000000000000:function:..", "seed:$LATEST:x", "%ff%fe",
                    "seed%2Fconfiguration", ":", "seed::", "arn:aws:lambda:eu-west-1:000000000000:function:seed"};
            String name = names[random.nextInt(names.length)];
            String[][] routes = {{"GET", "/2015-03-31/functions/%s"}, {"GET", "/2015-03-31/functions/%s/configuration"},
                    {"DELETE", "/2015-03-31/functions/%s"}, {"POST", "/2015-03-31/functions/%s/invocations"},
                    {"GET", "/2015-03-31/functions/%s/aliases"}, {"DELETE", "/2017-10-31/functions/%s/concurrency"},
                    {"GET", "/2018-10-31/layers/%s/versions"}, {"DELETE", "/2018-10-31/layers/%s/versions/1"}};
            String[] route = routes[random.nextInt(routes.length)];
            byte[] body = route[0].equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
            return new Hostile("name " + name, route[0], route[1].formatted(name), body);
        }

        /** A package that must be refused: not a zip, an escaping entry or link, a bomb. */
        private Hostile badZip() {
            byte[] zip = switch (random.nextInt(7)) {
                case 0 -> randomBytes(1 + random.nextInt(2000));
                case 1 -> java.util.Arrays.copyOf(Packages.python("def handler(e, c):\n    return 3\n"),
                        30 + random.nextInt(60));
                case 2 -> TestZip.create().file("../escape.py", "x = 1\n").file("app.py", "x = 1\n").bytes();
                case 3 -> TestZip.create().file("/etc/evil", "x\n").bytes();
                case 4 -> TestZip.create().file("link", "../../../../etc/passwd".getBytes(StandardCharsets.UTF_8),
                        0120777).bytes();
                case 5 -> TestZip.create().file("lib/link", "/etc/shadow".getBytes(StandardCharsets.UTF_8),
                        0120777).bytes();
                default -> bomb();
            };
            String encoded = Base64.getEncoder().encodeToString(zip);
            JsonNodeFactory f = JsonNodeFactory.instance;
            return switch (random.nextInt(3)) {
                case 0 -> {
                    ObjectNode body = f.objectNode().put("FunctionName", "zipped-" + random.nextInt(1000))
                            .put("Runtime", "python3.12").put("Role", ROLE).put("Handler", "app.handler");
                    body.putObject("Code").put("ZipFile", encoded);
                    yield new Hostile("CreateFunction: bad zip", "POST", "/2015-03-31/functions", bytes(body));
                }
                case 1 -> new Hostile("UpdateFunctionCode: bad zip", "PUT", "/2015-03-31/functions/seed/code",
                        bytes(f.objectNode().put("ZipFile", encoded)));
                default -> {
                    ObjectNode body = f.objectNode();
                    body.putObject("Content").put("ZipFile", encoded);
                    yield new Hostile("PublishLayerVersion: bad zip", "POST", "/2018-10-31/layers/lay/versions",
                            bytes(body));
                }
            };
        }

        /** Bodies that are JSON but not an object. */
        private Hostile notAnObject() {
            Operation op = anyOperation();
            String[] bodies = {"[]", "\"text\"", "42", "true", "[{}]", "null"};
            String body = bodies[random.nextInt(bodies.length)];
            return new Hostile(op.name() + ": body " + body, op.method(), op.path(),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        private Hostile json(Operation op, String what) {
            return new Hostile(op.name() + ": " + what, op.method(), op.path(), bytes(op.body()));
        }

        private static byte[] bytes(JsonNode node) {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }

        private byte[] randomBytes(int n) {
            byte[] out = new byte[n];
            random.nextBytes(out);
            return out;
        }

        /** 300 MB of zeros that deflate to a few hundred KB: over the unzipped limit once inflated. */
        private static byte[] bomb() {
            return Bomb.ZIP;
        }
    }

    /** Made once: deflating 300 MB takes a moment. */
    private static final class Bomb {
        static final byte[] ZIP = make();

        private static byte[] make() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.setLevel(9);
                zip.putNextEntry(new ZipEntry("app.py"));
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 300; i++) {
                    zip.write(zeros);
                }
                zip.closeEntry();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }
}
