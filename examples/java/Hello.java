import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

/** A hello function for Thunk's java runtimes. Handler: Hello::handleRequest. Build hello.jar with build.sh. */
public class Hello implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        Object name = event == null ? null : event.get("name");
        if (name == null) {
            name = "world";
        }
        context.getLogger().log("greeting " + name);
        return "Hello, " + name + ", from Java!";
    }
}
