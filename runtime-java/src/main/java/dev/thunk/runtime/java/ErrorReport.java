package dev.thunk.runtime.java;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The body of {@code POST .../error} and {@code POST /runtime/init/error}, shaped as AWS's Java runtime shapes it:
 * {@code {"errorMessage":...,"errorType":...,"stackTrace":[...]}} with absent fields left out, plus the
 * {@code Lambda-Runtime-Function-Error-Type} header value ({@link #category}).
 *
 * @param errorMessage the message (the exception's class name when it has none)
 * @param errorType    the exception's class name, or null for faults that have none (e.g. a bad handler string)
 * @param stackTrace   {@link StackTraceElement#toString()} of each frame, or null to leave the field out
 * @param category     {@code Runtime.UserException} for a throwing handler, {@code Runtime.BadFunctionCode} for a
 *                     handler that cannot be loaded
 * @param log          the text AWS's runtime writes to the function's log for this fault
 */
record ErrorReport(String errorMessage, String errorType, String[] stackTrace, String category, String log) {

    static final String USER_EXCEPTION = "Runtime.UserException";
    static final String BAD_FUNCTION_CODE = "Runtime.BadFunctionCode";

    /** Frames from here on belong to the runtime, not the user, and are cut from reported traces. */
    private static final String RUNTIME_PACKAGE = "dev.thunk.runtime.java.";

    /** A handler threw: the frames are reported, as AWS's runtime does. */
    static ErrorReport ofThrowable(Throwable t) {
        filterStackTrace(t);
        StackTraceElement[] frames = t.getStackTrace();
        String[] trace = new String[frames.length];
        for (int i = 0; i < frames.length; i++) {
            trace[i] = frames[i].toString();
        }
        String message = messageOf(t);
        return new ErrorReport(message, t.getClass().getName(), trace, USER_EXCEPTION, reportable(message, t));
    }

    /** The handler could not be loaded because of {@code t}; AWS leaves the stack trace out of these. */
    static ErrorReport badFunctionCode(String message, Throwable t) {
        filterStackTrace(t);
        return new ErrorReport(message, t.getClass().getName(), null, BAD_FUNCTION_CODE, reportable(message, t));
    }

    /** The handler could not be loaded, with no exception behind it (AWS sends no errorType then). */
    static ErrorReport badFunctionCode(String message) {
        return new ErrorReport(message, null, null, BAD_FUNCTION_CODE, message + "\n");
    }

    static String messageOf(Throwable t) {
        String message = t.getLocalizedMessage();
        return message == null ? t.getClass().getName() : message;
    }

    byte[] toJson() {
        StringBuilder sb = new StringBuilder(256);
        sb.append('{');
        boolean first = true;
        if (errorMessage != null) {
            sb.append("\"errorMessage\":");
            Json.quote(errorMessage, sb);
            first = false;
        }
        if (errorType != null) {
            sb.append(first ? "" : ",").append("\"errorType\":");
            Json.quote(errorType, sb);
            first = false;
        }
        if (stackTrace != null) {
            sb.append(first ? "" : ",").append("\"stackTrace\":[");
            for (int i = 0; i < stackTrace.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Json.quote(stackTrace[i], sb);
            }
            sb.append(']');
        }
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String reportable(String message, Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        return message + ": " + t.getClass().getName() + "\n" + trace + "\n";
    }

    /**
     * Cuts every frame from the first runtime frame on, through causes and suppressed exceptions, so users see
     * their own code only.
     */
    static void filterStackTrace(Throwable t) {
        filter(t, new IdentityHashMap<>());
    }

    private static void filter(Throwable t, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return;
        }
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < trace.length; i++) {
            if (trace[i].getClassName().startsWith(RUNTIME_PACKAGE)) {
                StackTraceElement[] kept = new StackTraceElement[i];
                System.arraycopy(trace, 0, kept, 0, i);
                t.setStackTrace(kept);
                break;
            }
        }
        filter(t.getCause(), seen);
        for (Throwable suppressed : t.getSuppressed()) {
            filter(suppressed, seen);
        }
    }
}
