package dev.thunk.bench.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Java function of the idle-memory measurement: the no-op's work plus a {@value #SLEEP_MS} ms sleep, so that
 * concurrent invocations need one environment each.
 */
public final class Sleep implements RequestStreamHandler {
    static final long SLEEP_MS = 300;
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.transferTo(OutputStream.nullOutputStream());
        try {
            Thread.sleep(SLEEP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        output.write(EMPTY_OBJECT);
    }
}
