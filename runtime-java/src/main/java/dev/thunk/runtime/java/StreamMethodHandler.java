package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;

/**
 * A plain method taking some of (InputStream, OutputStream, Context), in that order. Its return value is ignored;
 * a method without an OutputStream answers JSON {@code null}, as on AWS.
 */
final class StreamMethodHandler implements RequestStreamHandler {

    private static final byte[] JSON_NULL = {'n', 'u', 'l', 'l'};

    private final Method method;
    private final Object instance;
    private final boolean needsInput;
    private final boolean needsOutput;
    private final boolean needsContext;

    StreamMethodHandler(Method method, Object instance, boolean needsInput, boolean needsOutput, boolean needsContext) {
        this.method = method;
        this.instance = instance;
        this.needsInput = needsInput;
        this.needsOutput = needsOutput;
        this.needsContext = needsContext;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Object[] args = new Object[(needsInput ? 1 : 0) + (needsOutput ? 1 : 0) + (needsContext ? 1 : 0)];
        int i = 0;
        if (needsInput) {
            args[i++] = input;
        } else {
            input.close();
        }
        if (needsOutput) {
            args[i++] = output;
        }
        if (needsContext) {
            args[i] = context;
        }
        ReflectiveCall.invoke(method, instance, args);
        if (!needsOutput) {
            output.write(JSON_NULL);
        }
    }
}
