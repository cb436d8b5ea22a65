package dev.thunk.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What a command runs against besides its arguments: the environment variables, the standard streams, how often
 * and how long to poll while waiting for a function to settle, and the clock {@code --since} counts back from.
 * Tests pass their own.
 */
record Session(Map<String, String> env, InputStream in, PrintStream out, PrintStream err,
               Duration pollInterval, Duration waitLimit, Clock clock) {
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9000";

    static Session of(PrintStream out, PrintStream err) {
        return new Session(System.getenv(), System.in, out, err, Duration.ofMillis(250), Duration.ofMinutes(3),
                Clock.systemUTC());
    }

    /** {@code --endpoint}, else {@code THUNK_ENDPOINT}, else the server's default address. */
    String endpoint(Args args) {
        String endpoint = args.value("endpoint").orElseGet(() -> {
            String fromEnv = env.get("THUNK_ENDPOINT");
            return fromEnv == null || fromEnv.isBlank() ? DEFAULT_ENDPOINT : fromEnv.strip();
        });
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }
}
