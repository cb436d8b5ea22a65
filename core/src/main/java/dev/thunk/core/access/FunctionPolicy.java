package dev.thunk.core.access;

import java.util.List;

/**
 * The resource-based policy of a function, version or alias: its statements in the order they were added, and the
 * revision that changes with every added or removed statement (for AddPermission's and RemovePermission's
 * {@code RevisionId}).
 */
public record FunctionPolicy(List<PolicyStatement> statements, String revisionId) {
    public FunctionPolicy {
        statements = List.copyOf(statements);
    }
}
