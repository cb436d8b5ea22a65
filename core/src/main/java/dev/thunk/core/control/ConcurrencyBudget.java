package dev.thunk.core.control;

import dev.thunk.core.ProvisionedConcurrencyConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The account's concurrency set aside from the unreserved pool, as AWS counts it: a function with reserved
 * concurrency sets aside its reservation (its provisioned concurrency comes out of that); a function without one
 * sets aside the total of its provisioned concurrency configurations.
 */
final class ConcurrencyBudget {
    private ConcurrencyBudget() {
    }

    static int committed(Map<String, Integer> reserved, List<ProvisionedConcurrencyConfig> provisioned) {
        Map<String, Integer> byFunction = provisionedByFunction(provisioned);
        int total = reserved.values().stream().mapToInt(Integer::intValue).sum();
        for (Map.Entry<String, Integer> function : byFunction.entrySet()) {
            if (!reserved.containsKey(function.getKey())) {
                total += function.getValue();
            }
        }
        return total;
    }

    static Map<String, Integer> provisionedByFunction(List<ProvisionedConcurrencyConfig> provisioned) {
        Map<String, Integer> byFunction = new HashMap<>();
        provisioned.forEach(c -> byFunction.merge(c.functionName(), c.requested(), Integer::sum));
        return byFunction;
    }
}
