package dev.thunk.core.access;

import java.util.Optional;

/**
 * Where resource-based policies live, one per function and qualifier ({@code $LATEST} for the unqualified
 * function). A policy goes when its function, version or alias goes. Thread-safe; each method is atomic.
 */
public interface PolicyStore {

    /** The policy, if it has at least one statement. */
    Optional<FunctionPolicy> findPolicy(String functionName, String qualifier);

    /** What a change of a policy came to. */
    enum Outcome { CHANGED, NO_FUNCTION, REVISION_MISMATCH, STATEMENT_EXISTS, NO_STATEMENT }

    /**
     * Appends {@code statement} and gives the policy {@code newRevisionId}, if the function exists, no statement
     * of the policy has the same id, and {@code expectedRevisionId} (when given) is the policy's revision.
     */
    Outcome addStatement(String functionName, String qualifier, PolicyStatement statement,
                         Optional<String> expectedRevisionId, String newRevisionId);

    /** Removes the statement {@code sid}, on the same terms; a policy left without statements is removed. */
    Outcome removeStatement(String functionName, String qualifier, String sid, Optional<String> expectedRevisionId,
                            String newRevisionId);
}
