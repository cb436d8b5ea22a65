package dev.thunk.engine.runtimeapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** What the Runtime API answers to a runtime's post: a status and a small JSON body. */
public record Answer(int status, String body) {
    public static final Answer ACCEPTED = new Answer(202, "{\"status\":\"OK\"}");

    public static Answer error(int status, String errorType, String message) {
        return new Answer(status, JsonNodeFactory.instance.objectNode().put("errorMessage", message)
                .put("errorType", errorType).toString());
    }

    /** A post for an invocation that is not the one in progress, or one already answered. */
    public static Answer invalidState(String what) {
        return error(403, "InvalidStateTransition", what);
    }
}
