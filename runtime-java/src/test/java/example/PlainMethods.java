package example;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

public class PlainMethods {
    public String upper(String input) {
        return input.toUpperCase();
    }

    public Map<String, Object> describe(Map<String, Object> input, Context context) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("keys", new TreeSet<>(input.keySet()));
        result.put("nested", input.get("a"));
        result.put("requestId", context.getAwsRequestId());
        return result;
    }
}
