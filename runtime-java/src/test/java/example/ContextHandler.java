package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Answers with the context it was given, as a flat JSON object. */
public class ContextHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        context.getLogger().log("hello from the logger\n");
        StringBuilder sb = new StringBuilder("{");
        field(sb, "requestId", context.getAwsRequestId());
        field(sb, "functionName", context.getFunctionName());
        field(sb, "functionVersion", context.getFunctionVersion());
        field(sb, "invokedFunctionArn", context.getInvokedFunctionArn());
        field(sb, "memoryLimitInMB", String.valueOf(context.getMemoryLimitInMB()));
        field(sb, "logGroupName", context.getLogGroupName());
        field(sb, "logStreamName", context.getLogStreamName());
        field(sb, "remainingTimeInMillis", String.valueOf(context.getRemainingTimeInMillis()));
        field(sb, "xrayTraceId", context.getXrayTraceId());
        field(sb, "traceHeaderProperty", System.getProperty("com.amazonaws.xray.traceHeader"));
        if (context.getClientContext() != null) {
            field(sb, "custom.k", context.getClientContext().getCustom().get("k"));
            field(sb, "env.platform", context.getClientContext().getEnvironment().get("platform"));
            field(sb, "client.appTitle", context.getClientContext().getClient().getAppTitle());
        }
        if (context.getIdentity() != null) {
            field(sb, "identityId", context.getIdentity().getIdentityId());
            field(sb, "identityPoolId", context.getIdentity().getIdentityPoolId());
        }
        sb.setLength(sb.length() - 1);
        sb.append('}');
        output.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        if (value == null) {
            sb.append("null");
        } else {
            sb.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        sb.append(',');
    }
}
