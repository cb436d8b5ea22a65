package dev.thunk.engine.runtimeapi;

/** What the Runtime API answers to a runtime's post: a status and a small JSON body. */
public record Answer(int status, String body) {
    public static final Answer ACCEPTED = new Answer(202, "{\"status\":\"OK\"}");

    public static Answer error(int status, String errorType, String message) {
        return new Answer(status, "{\"errorMessage\":\"" + message.replace("\"", "'") + "\",\"errorType\":\""
                + errorType + "\"}");
    }

    /** A post for an invocation that is not the one in progress, or one already answered. */
    public static Answer invalidState(String what) {
        return error(403, "InvalidStateTransition", what);
    }
}
