package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Runtime API's refusals as a runtime meets them on the real server, the variables an environment starts with,
 * and the log tail of {@code LogType: Tail}.
 */
class RuntimeApiIT extends SharedServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A custom runtime that asks the Runtime API for what it must refuse, at the step of the invocation each refusal
     * belongs to; the last invocation answers what it was told.
     */
    private static final String PROBING_BOOTSTRAP = """
            #!/usr/bin/python3
            import http.client, json, os
            host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
            base = "/2018-06-01/runtime/"
            def call(method, path, body=None, headers={}):
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                try:
                    connection.request(method, base + path, body=body, headers=headers,
                                       encode_chunked=not isinstance(body, (str, bytes, type(None))))
                    answer = connection.getresponse()
                    data = answer.read()
                except OSError as e:
                    return {"status": None, "failure": repr(e)}, {}, b""
                finally:
                    connection.close()
                try:
                    kind = json.loads(data).get("errorType") if data else None
                except ValueError:
                    kind = None
                return {"status": answer.status, "errorType": kind}, answer.headers, data
            told = {}
            while True:
                _, headers, body = call("GET", "invocation/next")
                request_id = headers["Lambda-Runtime-Aws-Request-Id"]
                step = json.loads(body)["step"]
                respond = "invocation/" + request_id + "/response"
                if step == "probe":
                    seen = {
                        "nextWhileBusy": call("GET", "invocation/next")[0],
                        "unknownId": call("POST", "invocation/0f1e2d3c-aaaa-bbbb-cccc-000000000000/response", "{}")[0],
                        "unknownIdStreamed": call("POST", "invocation/0f1e2d3c-aaaa-bbbb-cccc-000000000000/response",
                                                  iter([b"a", b"b"]),
                                                  {"Lambda-Runtime-Function-Response-Mode": "streaming"})[0],
                        "malformedId": call("POST", "invocation/" + "x" * 65 + "/response", "{}")[0],
                        "initErrorAfterNext": call("POST", "init/error", '{"errorType":"Late","errorMessage":"late"}',
                                                   {"Lambda-Runtime-Function-Error-Type": "Late"})[0],
                        "noSuchEndpoint": call("GET", "invocation/what")[0],
                    }
                    call("POST", respond, json.dumps(seen))
                    told["secondAnswer"] = call("POST", respond, "{}")[0]
                elif step == "too-large":
                    told["errorReportTooLarge"] = call("POST", "invocation/" + request_id + "/error",
                                                       "x" * (1024 * 1024 + 1),
                                                       {"Lambda-Runtime-Function-Error-Type": "Runtime.Big"})[0]
                    told["responseAfterIt"] = call("POST", respond, "{}")[0]
                else:
                    call("POST", respond, json.dumps(told))
            """;

    @Test
    void theRuntimeApiRefusesWhatAwsRefuses() throws Exception {
        Functions.createActive(lambda, Invocations.function("probe", "provided.al2023", "unused",
                Packages.provided(PROBING_BOOTSTRAP)).timeout(30).build());

        Invocations.Result probed = Invocations.invoke(lambda, "probe", "{\"step\":\"probe\"}");
        assertNull(probed.functionError(), probed.payload() + probed.log());
        JsonNode seen = JSON.readTree(probed.payload());
        assertRefused(seen, "nextWhileBusy", 403, "InvalidStateTransition");
        assertRefused(seen, "unknownId", 403, "InvalidStateTransition");
        assertRefused(seen, "unknownIdStreamed", 403, "InvalidStateTransition");
        assertRefused(seen, "malformedId", 400, "InvalidRequestID");
        assertRefused(seen, "initErrorAfterNext", 403, "InvalidStateTransition");
        assertRefused(seen, "noSuchEndpoint", 404, "NotFound");

        // An error report over 1 MB is refused, and ends the invocation with the type its header named.
        Invocations.Result tooLarge = Invocations.invoke(lambda, "probe", "{\"step\":\"too-large\"}");
        assertEquals("Unhandled", tooLarge.functionError(), tooLarge.payload());
        assertEquals("Runtime.Big", JSON.readTree(tooLarge.payload()).get("errorType").asText());

        JsonNode told = JSON.readTree(Invocations.invoke(lambda, "probe", "{\"step\":\"report\"}").payload());
        assertRefused(told, "secondAnswer", 403, "InvalidStateTransition");
        assertRefused(told, "errorReportTooLarge", 413, "RequestEntityTooLarge");
        assertRefused(told, "responseAfterIt", 403, "InvalidStateTransition");
    }

    private static void assertRefused(JsonNode seen, String what, int status, String errorType) {
        assertEquals(status, seen.get(what).get("status").asInt(), what + ": " + seen);
        assertEquals(errorType, seen.get(what).get("errorType").asText(), what + ": " + seen);
    }

    @Test
    void environmentsStartWithAwsReservedVariables() throws Exception {
        Functions.createActive(lambda, Invocations.function("variables", "python3.12", "app.handler", Packages.python("""
                import os
                def handler(event, context):
                    return {name: os.environ.get(name) for name in event}
                """)).environment(b -> b.variables(java.util.Map.of("MINE", "mine"))).build());
        Functions.createActive(lambda, Invocations.function("variables-provided", "provided.al2023", "my.handler",
                Packages.provided("""
                        #!/usr/bin/python3
                        import json, os, urllib.request
                        api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
                        while True:
                            with urllib.request.urlopen(api + "next") as r:
                                request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
                            out = {"executionEnv": os.environ.get("AWS_EXECUTION_ENV"),
                                   "handler": os.environ.get("_HANDLER")}
                            urllib.request.urlopen(urllib.request.Request(api + request_id + "/response",
                                                   data=json.dumps(out).encode(), method="POST")).read()
                        """)).build());
        String names = "[\"AWS_REGION\",\"AWS_DEFAULT_REGION\",\"AWS_EXECUTION_ENV\",\"_HANDLER\","
                + "\"AWS_LAMBDA_INITIALIZATION_TYPE\",\"AWS_LAMBDA_RUNTIME_API\",\"LAMBDA_RUNTIME_DIR\",\"LANG\","
                + "\"TZ\",\"PATH\",\"MINE\"]";
        JsonNode env = JSON.readTree(Invocations.invoke(lambda, "variables", names).payload());
        assertEquals("us-east-1", env.get("AWS_REGION").asText());
        assertEquals("us-east-1", env.get("AWS_DEFAULT_REGION").asText());
        assertEquals("AWS_Lambda_python3.12", env.get("AWS_EXECUTION_ENV").asText());
        assertEquals("app.handler", env.get("_HANDLER").asText());
        assertEquals("on-demand", env.get("AWS_LAMBDA_INITIALIZATION_TYPE").asText());
        assertTrue(env.get("AWS_LAMBDA_RUNTIME_API").asText().matches("127\\.0\\.0\\.1:\\d+"), env.toString());
        assertFalse(env.get("LAMBDA_RUNTIME_DIR").asText().isEmpty(), env.toString());
        assertEquals("en_US.UTF-8", env.get("LANG").asText());
        assertEquals(":UTC", env.get("TZ").asText());
        assertTrue(env.get("PATH").asText().startsWith("/usr/local/bin:/usr/bin/:/bin"), env.toString());
        assertEquals("mine", env.get("MINE").asText());

        // A custom runtime has no AWS_EXECUTION_ENV: its bootstrap is not one of AWS's runtimes.
        JsonNode provided = JSON.readTree(Invocations.invoke(lambda, "variables-provided", "{}").payload());
        assertTrue(provided.get("executionEnv").isNull(), provided.toString());
        assertEquals("my.handler", provided.get("handler").asText());
    }

    /**
     * An environment gets temporary credentials of its account, as a function on AWS gets its role's, and the
     * address of the Lambda API. The function below signs a GetFunction of itself with them, by hand, from inside
     * its sandbox. Without their session token they are nothing, and they end with their environment.
     */
    @Test
    void anEnvironmentsCredentialsCallTheLambdaApiAsItsAccount() throws Exception {
        Functions.createActive(lambda, Invocations.function("credentials", "python3.12", "app.handler",
                Packages.python("""
                        import datetime, hashlib, hmac, json, os, urllib.error, urllib.request
                        def sign(key, text):
                            return hmac.new(key, text.encode(), hashlib.sha256).digest()
                        def handler(event, context):
                            env = os.environ
                            endpoint = env["AWS_ENDPOINT_URL_LAMBDA"]
                            path = "/2015-03-31/functions/" + context.function_name
                            now = datetime.datetime.now(datetime.timezone.utc)
                            stamp, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
                            scope = day + "/" + env["AWS_REGION"] + "/lambda/aws4_request"
                            headers = {"host": endpoint.split("://", 1)[1], "x-amz-date": stamp,
                                       "x-amz-security-token": env["AWS_SESSION_TOKEN"]}
                            names = ";".join(sorted(headers))
                            canonical = "\\n".join(["GET", path, "", "".join(k + ":" + headers[k] + "\\n"
                                                   for k in sorted(headers)), names, hashlib.sha256(b"").hexdigest()])
                            text = "\\n".join(["AWS4-HMAC-SHA256", stamp, scope,
                                              hashlib.sha256(canonical.encode()).hexdigest()])
                            key = ("AWS4" + env["AWS_SECRET_ACCESS_KEY"]).encode()
                            for part in scope.split("/"):
                                key = sign(key, part)
                            headers["authorization"] = ("AWS4-HMAC-SHA256 Credential=" + env["AWS_ACCESS_KEY_ID"]
                                                        + "/" + scope + ", SignedHeaders=" + names + ", Signature="
                                                        + hmac.new(key, text.encode(), hashlib.sha256).hexdigest())
                            del headers["host"]
                            out = {name: env.get(name) for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                                                    "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_LAMBDA")}
                            try:
                                with urllib.request.urlopen(urllib.request.Request(endpoint + path,
                                                                                   headers=headers)) as answer:
                                    out["status"] = answer.status
                                    out["name"] = json.loads(answer.read())["Configuration"]["FunctionName"]
                            except urllib.error.HTTPError as e:
                                out["status"] = e.code
                                out["error"] = e.read().decode()
                            return out
                        """)).build());
        Invocations.Result called = Invocations.invoke(lambda, "credentials", "{}");
        assertNull(called.functionError(), called.payload() + called.log());
        JsonNode out = JSON.readTree(called.payload());
        assertEquals(200, out.get("status").asInt(), out.toString());
        assertEquals("credentials", out.get("name").asText(), "the function called Thunk as its account");
        String keyId = out.get("AWS_ACCESS_KEY_ID").asText();
        assertTrue(keyId.matches("ASIA[A-Z2-7]{16}"), keyId);
        assertEquals(server.endpoint(), out.get("AWS_ENDPOINT_URL_LAMBDA").asText());

        var session = software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(keyId,
                out.get("AWS_SECRET_ACCESS_KEY").asText(), out.get("AWS_SESSION_TOKEN").asText());
        var forged = software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(keyId,
                out.get("AWS_SECRET_ACCESS_KEY").asText(), "not-the-token");
        assertFalse(refused(session), "from outside the environment too");
        assertTrue(refused(forged), "with another token");

        // They end with their environment: here, when the function is deleted.
        lambda.deleteFunction(b -> b.functionName("credentials"));
        dev.thunk.testkit.Await.until("the environment's credentials are revoked", java.time.Duration.ofSeconds(10),
                () -> refused(session));
    }

    private static boolean refused(software.amazon.awssdk.auth.credentials.AwsCredentials credentials) {
        try (var client = server.lambda(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(credentials))) {
            client.listFunctions();
            return false;
        } catch (software.amazon.awssdk.services.lambda.model.LambdaException e) {
            assertEquals(403, e.statusCode());
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            return true;
        }
    }

    /** {@code X-Amz-Log-Result} holds the last 4 KB of the invocation's log, as AWS's does. */
    @Test
    void theLogTailIsTheLastFourKilobytes() throws Exception {
        Functions.createActive(lambda, Invocations.function("chatty", "python3.12", "app.handler", Packages.python("""
                def handler(event, context):
                    for n in range(1000):
                        print("line %04d of the chatty function" % n)
                    return "done"
                """)).build());
        Invocations.Result result = Invocations.invoke(lambda, "chatty", "{}");
        byte[] tail = result.log().getBytes(StandardCharsets.UTF_8);
        assertEquals(4096, tail.length, "the log is longer than 4 KB: its last 4096 bytes");
        assertTrue(result.log().contains("line 0999 of the chatty function\n"), result.log());
        assertFalse(result.log().contains("line 0000 "), "the start of a long log is cut");
        assertTrue(result.log().matches("(?s).*REPORT RequestId: [0-9a-f-]{36}\tDuration: .*\t\n"), result.log());
    }
}
