package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.Method;

/** A plain method taking (), (Context), (I) or (I, Context), seen as a {@link RequestHandler}. */
final class PojoMethodHandler implements RequestHandler<Object, Object> {

    private final Method method;
    private final Object instance;
    private final boolean takesInput;
    private final boolean takesContext;

    PojoMethodHandler(Method method, Object instance, boolean takesInput, boolean takesContext) {
        this.method = method;
        this.instance = instance;
        this.takesInput = takesInput;
        this.takesContext = takesContext;
    }

    @Override
    public Object handleRequest(Object input, Context context) {
        Object[] args = new Object[(takesInput ? 1 : 0) + (takesContext ? 1 : 0)];
        int i = 0;
        if (takesInput) {
            args[i++] = input;
        }
        if (takesContext) {
            args[i] = context;
        }
        return ReflectiveCall.invoke(method, instance, args);
    }
}
