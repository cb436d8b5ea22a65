package dev.thunk.it;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Invocations through the SDK, read back into plain values. */
final class Invocations {
    private Invocations() {
    }

    /** What an invocation answered: the payload, the function error header and the decoded log tail. */
    record Result(int status, String payload, String functionError, String log, String executedVersion) {
        boolean failed() {
            return functionError != null;
        }
    }

    static Result invoke(LambdaClient lambda, String name, String payload) {
        InvokeResponse response = lambda.invoke(b -> b.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String(payload)));
        String log = response.logResult() == null ? ""
                : new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        return new Result(response.statusCode(), response.payload().asUtf8String(), response.functionError(), log,
                response.executedVersion());
    }

    static CreateFunctionRequest.Builder function(String name, String runtime, String handler, byte[] zip) {
        return CreateFunctionRequest.builder().functionName(name).runtime(runtime).handler(handler)
                .role(Functions.ROLE).code(b -> b.zipFile(SdkBytes.fromByteArray(zip)))
                .environment(b -> b.variables(Map.of("GREETING", "hello from the environment")));
    }
}
