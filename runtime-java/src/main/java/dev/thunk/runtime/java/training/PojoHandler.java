package dev.thunk.runtime.java.training;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

public class PojoHandler implements RequestHandler<Greeting, Greeting> {
    @Override
    public Greeting handleRequest(Greeting input, Context context) {
        input.setName("Hello " + input.getName());
        input.setCount(input.getCount() + 1);
        return input;
    }
}
