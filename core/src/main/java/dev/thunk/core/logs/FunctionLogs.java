package dev.thunk.core.logs;

import java.util.function.Predicate;

/**
 * Reads a function's logs (its log group {@code /aws/lambda/<name>}). Blocking: call it on a virtual thread.
 */
public interface FunctionLogs {

    /**
     * Passes every log line of the function since {@code startMillis} to {@code sink}, oldest first; with
     * {@code follow}, keeps passing new lines as they are written until {@code sink} returns false. Returns false
     * if the function has no logs at all.
     */
    boolean read(String functionName, long startMillis, boolean follow, Predicate<LogEvent> sink);
}
