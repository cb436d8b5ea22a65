package dev.thunk.it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/** Echoes its event with what the context and the environment say. */
public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("hello from java");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", event);
        out.put("functionName", context.getFunctionName());
        out.put("functionVersion", context.getFunctionVersion());
        out.put("invokedFunctionArn", context.getInvokedFunctionArn());
        out.put("memoryLimitInMB", context.getMemoryLimitInMB());
        out.put("awsRequestId", context.getAwsRequestId());
        out.put("logGroupName", context.getLogGroupName());
        out.put("logStreamName", context.getLogStreamName());
        out.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        out.put("greeting", System.getenv("GREETING"));
        out.put("taskRoot", System.getenv("LAMBDA_TASK_ROOT"));
        out.put("pid", ProcessHandle.current().pid());
        return out;
    }
}
