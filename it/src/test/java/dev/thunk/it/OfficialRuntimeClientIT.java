package dev.thunk.it;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * AWS's own Java runtime interface client ({@code aws-lambda-java-runtime-interface-client}), started from a
 * {@code bootstrap} script as a custom runtime, works against Thunk's Runtime API unchanged.
 */
class OfficialRuntimeClientIT {
    private static final String BOOTSTRAP = """
            #!/bin/sh
            exec java -XX:+UseSerialGC -cp "$LAMBDA_TASK_ROOT:$LAMBDA_TASK_ROOT/lib/*" \\
                com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$_HANDLER"
            """;

    @Test
    void awsJavaRuntimeInterfaceClientServesInvocations() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            // AWS's client and what it needs at run time, as a user would package them.
            byte[] zip = Packages.javaWithBootstrap(BOOTSTRAP, AWSLambda.class, Context.class, PojoSerializer.class,
                    SdkInternalThreadLocal.class);
            Functions.createActive(lambda, Invocations.function("aws-ric", "provided.al2023",
                    "dev.thunk.it.handlers.Hello::handleRequest", zip).timeout(30).build());

            Invocations.Result result = Invocations.invoke(lambda, "aws-ric", "{\"from\":\"aws\"}");
            assertNull(result.functionError(), result.payload());
            JsonNode out = new ObjectMapper().readTree(result.payload());
            assertEquals("aws", out.get("event").get("from").asText());
            assertEquals("aws-ric", out.get("functionName").asText());
            assertEquals("hello from the environment", out.get("greeting").asText());

            Invocations.Result warm = Invocations.invoke(lambda, "aws-ric", "{\"from\":\"again\"}");
            assertEquals(out.get("pid"), new ObjectMapper().readTree(warm.payload()).get("pid"),
                    "AWS's client keeps serving from the same environment");

            Functions.createActive(lambda, Invocations.function("aws-ric-fail", "provided.al2023",
                    "dev.thunk.it.handlers.Fail::handleRequest", zip).timeout(30).build());
            Invocations.Result failed = Invocations.invoke(lambda, "aws-ric-fail", "{}");
            assertEquals("Unhandled", failed.functionError());
            JsonNode error = new ObjectMapper().readTree(failed.payload());
            assertEquals("java.lang.IllegalStateException", error.get("errorType").asText());
            assertEquals("broken on purpose", error.get("errorMessage").asText());
        }
    }
}
