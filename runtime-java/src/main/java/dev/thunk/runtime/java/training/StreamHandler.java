package dev.thunk.runtime.java.training;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

public class StreamHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.transferTo(output);
    }

    /** A plain-method handler, {@code StreamHandler::upper}, reached through reflection. */
    public String upper(String input) {
        return input.toUpperCase();
    }
}
