package example;

import com.amazonaws.services.lambda.runtime.Context;

public class GreetingHandler extends BaseHandler<GreetingRequest, GreetingResponse> {
    @Override
    public GreetingResponse handleRequest(GreetingRequest input, Context context) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < input.getTimes(); i++) {
            sb.append(i == 0 ? "" : " ").append("Hello ").append(input.getName());
        }
        return new GreetingResponse(sb.toString());
    }
}
