package dev.thunk.core;

import java.time.Instant;

/**
 * A provisioned concurrency configuration: how many execution environments of a published version, or of the
 * version(s) an alias routes to, are kept initialised ahead of any invocation.
 *
 * @param qualifier a version number or an alias name, never {@code $LATEST}
 * @param requested how many environments are asked for (at least 1)
 */
public record ProvisionedConcurrencyConfig(String functionName, String qualifier, int requested,
                                           Instant lastModified) {
    public ProvisionedConcurrencyConfig {
        if (requested < 1) {
            throw new IllegalArgumentException("requested must be positive: " + requested);
        }
        if (qualifier.equals(FunctionVersion.LATEST)) {
            throw new IllegalArgumentException("$LATEST cannot be provisioned");
        }
    }
}
