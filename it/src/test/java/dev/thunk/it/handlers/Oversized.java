package dev.thunk.it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/** Answers 7 MB, over the 6 MB a response may have. */
public class Oversized implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] quoted = new byte[7 * 1024 * 1024];
        Arrays.fill(quoted, (byte) 'x');
        quoted[0] = '"';
        quoted[quoted.length - 1] = '"';
        output.write(quoted);
    }
}
