package dev.thunk.core;

import java.time.Instant;

/**
 * One version of a function (for now only {@code $LATEST}): its configuration, its code and its status.
 * Every change makes a new value with a new {@code revisionId}.
 */
public record FunctionVersion(
        String name,
        String version,
        FunctionConfig config,
        CodeInfo code,
        Status status,
        String revisionId,
        Instant lastModified) {

    public static final String LATEST = "$LATEST";

    public FunctionVersion withConfig(FunctionConfig newConfig, String newRevision, Instant when) {
        return new FunctionVersion(name, version, newConfig, code, status, newRevision, when);
    }

    public FunctionVersion withCode(CodeInfo newCode, String newRevision, Instant when) {
        return new FunctionVersion(name, version, config, newCode, status, newRevision, when);
    }

    /** A status change is not a user's update: AWS keeps LastModified but moves the revision on. */
    public FunctionVersion withStatus(Status newStatus, String newRevision) {
        return new FunctionVersion(name, version, config, code, newStatus, newRevision, lastModified);
    }
}
