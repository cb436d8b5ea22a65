package dev.thunk.core.access;

import java.util.Optional;

/** What an AddPermission request asks for, as the caller wrote it. Validated by {@link PolicyService}. */
public record AddPermission(String statementId, String action, String principal, Optional<String> sourceArn,
                            Optional<String> sourceAccount, Optional<String> functionUrlAuthType,
                            Optional<String> qualifier, Optional<String> revisionId) {
}
