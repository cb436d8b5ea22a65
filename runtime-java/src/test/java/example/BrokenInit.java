package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

public class BrokenInit implements RequestStreamHandler {
    static {
        if (Boolean.parseBoolean("true")) {
            throw new IllegalStateException("static boom");
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
    }
}
