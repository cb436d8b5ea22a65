package dev.thunk.bench.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The Java no-op function: reads its event and answers {@code {}}, with no JSON mapping on either side. */
public final class Noop implements RequestStreamHandler {
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.transferTo(OutputStream.nullOutputStream());
        output.write(EMPTY_OBJECT);
    }
}
