package dev.thunk.core;

import java.util.List;
import java.util.Optional;

/**
 * Where provisioned concurrency configurations live. They go with their function, version or alias: deleting any
 * of those deletes its configurations. Thread-safe; each method is atomic.
 */
public interface ProvisionedConcurrencyStore {

    /**
     * Stores {@code config}, replacing the one of the same function and qualifier, in one transaction with
     * {@code check}: it runs first, may read the function store and this one (which share the transaction), and
     * throws to refuse the change. False, and nothing changed, if the function is gone.
     */
    boolean putProvisionedConcurrency(ProvisionedConcurrencyConfig config, Runnable check);

    Optional<ProvisionedConcurrencyConfig> findProvisionedConcurrency(String functionName, String qualifier);

    /** The function's configurations, ordered by qualifier. */
    List<ProvisionedConcurrencyConfig> listProvisionedConcurrency(String functionName);

    /** Every configuration of every function (for the account's totals and for starting environments). */
    List<ProvisionedConcurrencyConfig> allProvisionedConcurrency();

    boolean deleteProvisionedConcurrency(String functionName, String qualifier);
}
