package dev.thunk.core.logs;

/** One line of a function's log, as CloudWatch Logs would show it. */
public record LogEvent(long timestamp, String logStreamName, String message) {
}
