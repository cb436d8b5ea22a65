package dev.thunk.core;

import java.util.Map;

/**
 * A named pointer to a function version, optionally splitting invocations with one more version by weight
 * ({@code AdditionalVersionWeights}: version → share of invocations, 0..1).
 */
public record Alias(String functionName, String name, String functionVersion, String description,
                    Map<String, Double> additionalVersionWeights, String revisionId) {
    public Alias {
        additionalVersionWeights = Map.copyOf(additionalVersionWeights);
    }

    /** The version an invocation runs, given a uniform random number in [0, 1). */
    public String route(double random) {
        double threshold = 0;
        for (Map.Entry<String, Double> weighted : additionalVersionWeights.entrySet()) {
            threshold += weighted.getValue();
            if (random < threshold) {
                return weighted.getKey();
            }
        }
        return functionVersion;
    }
}
