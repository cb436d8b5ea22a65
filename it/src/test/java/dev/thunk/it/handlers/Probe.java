package dev.thunk.it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a stem cell test asks of a Java environment: some of its variables, and how long its process has run. */
public class Probe implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        System.out.println("probe of " + System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("function", System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
        out.put("mine", System.getenv("MINE"));
        out.put("theirs", System.getenv("THEIRS"));
        out.put("cell", System.getenv("THUNK_STEM_CELL"));
        out.put("runtimeApi", System.getenv("AWS_LAMBDA_RUNTIME_API"));
        out.put("taskRoot", System.getenv("LAMBDA_TASK_ROOT"));
        out.put("variables", System.getenv().size());
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        out.put("ageMs", Duration.between(started, Instant.now()).toMillis());
        return out;
    }
}
