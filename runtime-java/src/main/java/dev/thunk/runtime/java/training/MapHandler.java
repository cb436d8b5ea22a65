package dev.thunk.runtime.java.training;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The typical hello function; fails on {@code "fail": true}, so training also takes the error path. */
public class MapHandler implements RequestHandler<Map<String, Object>, Object> {
    @Override
    public Object handleRequest(Map<String, Object> input, Context context) {
        context.getLogger().log("hello " + input.get("name"));
        if (Boolean.TRUE.equals(input.get("fail"))) {
            throw new IllegalStateException("training failure");
        }
        return Map.of("message", "Hello " + input.get("name"), "input", input);
    }
}
