package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs a {@link RequestHandler} over bytes: JSON in, POJO to the handler, POJO out, JSON back. The failure
 * messages are AWS's, so a caller sees the same error for the same bad payload.
 */
final class PojoStreamAdapter implements RequestStreamHandler {

    private static final byte[] JSON_NULL = {'n', 'u', 'l', 'l'};

    @SuppressWarnings("rawtypes")
    private final RequestHandler handler;
    private final JsonCodec input;
    private final JsonCodec output;

    /**
     * @param input  how to read the event, or null when the handler takes none
     * @param output how to write the result, or null when the handler returns void (the answer is then
     *               {@code null})
     */
    @SuppressWarnings("rawtypes")
    PojoStreamAdapter(RequestHandler handler, JsonCodec input, JsonCodec output) {
        this.handler = handler;
        this.input = input;
        this.output = output;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void handleRequest(InputStream in, OutputStream out, Context context) {
        Object event = null;
        if (input != null) {
            try {
                event = input.fromJson(in, context);
            } catch (Throwable t) {
                ErrorReport.filterStackTrace(t);
                throw new RuntimeException("An error occurred during JSON parsing", t);
            }
        }
        Object result = handler.handleRequest(event, context);
        try {
            if (output != null) {
                output.toJson(result, out, context);
            } else {
                out.write(JSON_NULL);
            }
        } catch (Throwable t) {
            throw new RuntimeException("An error occurred during JSON serialization of response", t);
        }
    }
}
