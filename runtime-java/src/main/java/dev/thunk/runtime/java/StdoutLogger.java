package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@link LambdaLogger} in AWS's text format: the message as given, ended with a newline when it has none, since
 * AWS frames every call (String or byte[]) as one log event and so one line in a log tail; with a level, prefixed
 * {@code [LEVEL] } and dropped when below {@code AWS_LAMBDA_LOG_LEVEL}. Each call is one write to standard output,
 * which the platform captures into the function's log, so concurrent calls do not interleave. Thread-safe.
 */
final class StdoutLogger implements LambdaLogger {

    private final PrintStream out;
    private final String minimumLevel;
    // Resolved on the first levelled call, so that LogLevel is not loaded at cold start.
    private volatile LogLevel minimum;
    private volatile boolean resolved;

    StdoutLogger(PrintStream out, String minimumLevel) {
        this.out = out;
        this.minimumLevel = minimumLevel;
    }

    @Override
    public void log(String message) {
        String text = message == null ? "null" : message;
        out.print(text.endsWith("\n") ? text : text + "\n");
    }

    @Override
    public void log(byte[] message) {
        byte[] bytes = message == null ? new byte[] {'n', 'u', 'l', 'l'} : message;
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            bytes = Arrays.copyOf(bytes, bytes.length + 1);
            bytes[bytes.length - 1] = '\n';
        }
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public void log(String message, LogLevel level) {
        if (enabled(level)) {
            log(level == null || level == LogLevel.UNDEFINED ? message : "[" + level + "] " + message);
        }
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        if (enabled(level)) {
            log(message);
        }
    }

    private boolean enabled(LogLevel level) {
        if (!resolved) {
            minimum = parse(minimumLevel);
            resolved = true;
        }
        return minimum == null || level == null || level == LogLevel.UNDEFINED || level.ordinal() >= minimum.ordinal();
    }

    private static LogLevel parse(String level) {
        if (level == null || level.isEmpty()) {
            return null;
        }
        for (LogLevel l : LogLevel.values()) {
            if (l.name().equalsIgnoreCase(level)) {
                return l == LogLevel.UNDEFINED ? null : l;
            }
        }
        return null;
    }
}
