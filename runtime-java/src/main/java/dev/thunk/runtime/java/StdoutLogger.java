package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@link LambdaLogger} in AWS's text format: the message as given, no newline added; with a level, prefixed
 * {@code [LEVEL] } and dropped when below {@code AWS_LAMBDA_LOG_LEVEL}. Writes go straight to standard output,
 * which the platform captures into the function's log. Thread-safe (PrintStream locks).
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
        out.print(message == null ? "null" : message);
    }

    @Override
    public void log(byte[] message) {
        try {
            out.write(message == null ? new byte[] {'n', 'u', 'l', 'l'} : message);
        } catch (IOException e) {
            // PrintStream never throws; it only sets its error flag.
        }
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
