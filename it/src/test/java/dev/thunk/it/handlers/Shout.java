package dev.thunk.it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Raw streams: answers the event upper-cased. */
public class Shout implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(new String(input.readAllBytes(), StandardCharsets.UTF_8).toUpperCase()
                .getBytes(StandardCharsets.UTF_8));
    }
}
