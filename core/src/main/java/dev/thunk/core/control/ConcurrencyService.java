package dev.thunk.core.control;

import dev.thunk.core.Account;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.LambdaException;
import dev.thunk.core.ProvisionedConcurrencyStore;
import dev.thunk.core.Validation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reserved concurrency: Put/Get/DeleteFunctionConcurrency. A reservation is the function's own share of the
 * account's concurrency, and its ceiling; the account keeps at least {@link #MIN_UNRESERVED} for functions without
 * one. Provisioned concurrency counts too (see {@link ConcurrencyBudget}): a reservation can never be smaller than
 * the function's provisioned total. Thread-safe: the check of the account's total and the change are one store
 * transaction.
 */
public final class ConcurrencyService {
    public static final int MIN_UNRESERVED = 100;

    private final Account account;
    private final FunctionStore store;
    private final ProvisionedConcurrencyStore provisioned;
    private final int accountLimit;
    private final FunctionListener listener;

    /** {@code provisioned} must share {@code store}'s transactions (one database), so that checks see both. */
    public ConcurrencyService(Account account, FunctionStore store, ProvisionedConcurrencyStore provisioned,
                              int accountLimit, FunctionListener listener) {
        this.account = account;
        this.store = store;
        this.provisioned = provisioned;
        this.accountLimit = accountLimit;
        this.listener = listener;
    }

    public int put(String functionName, Optional<Integer> reserved) {
        String name = unqualified(functionName);
        new Validation().required("reservedConcurrentExecutions", reserved.orElse(null))
                .range("reservedConcurrentExecutions", reserved.orElse(null), 0, Integer.MAX_VALUE).check();
        int value = reserved.get();
        boolean found = store.setReservedConcurrency(name, OptionalInt.of(value), ignoredTotal -> {
            int provisionedHere = provisioned.listProvisionedConcurrency(name).stream()
                    .mapToInt(dev.thunk.core.ProvisionedConcurrencyConfig::requested).sum();
            if (value < provisionedHere) {
                throw LambdaException.invalidParameter("Specified ReservedConcurrentExecutions for function is less "
                        + "than the function's total ProvisionedConcurrentExecutions [" + provisionedHere + "].");
            }
            Map<String, Integer> reservations = new HashMap<>(store.reservedConcurrencies());
            reservations.put(name, value);
            if (accountLimit - ConcurrencyBudget.committed(reservations, provisioned.allProvisionedConcurrency())
                    < MIN_UNRESERVED) {
                throw LambdaException.invalidParameter("Specified ReservedConcurrentExecutions for function "
                        + "decreases account's UnreservedConcurrentExecution below its minimum value of ["
                        + MIN_UNRESERVED + "].");
            }
        });
        if (!found) {
            throw LambdaException.functionNotFound(account.functionArn(name));
        }
        listener.concurrencyChanged(name, OptionalInt.of(value));
        return value;
    }

    public OptionalInt get(String functionName) {
        String name = unqualified(functionName);
        if (store.find(name).isEmpty()) {
            throw LambdaException.functionNotFound(account.functionArn(name));
        }
        return store.reservedConcurrency(name);
    }

    public void delete(String functionName) {
        String name = unqualified(functionName);
        if (!store.setReservedConcurrency(name, OptionalInt.empty(), total -> { })) {
            throw LambdaException.functionNotFound(account.functionArn(name));
        }
        listener.concurrencyChanged(name, OptionalInt.empty());
    }

    /** The account's concurrency left to functions without a reservation or provisioned concurrency. */
    public int unreserved() {
        return accountLimit - ConcurrencyBudget.committed(store.reservedConcurrencies(),
                provisioned.allProvisionedConcurrency());
    }

    public int accountLimit() {
        return accountLimit;
    }

    private String unqualified(String functionName) {
        return FunctionRef.parseUnqualified(functionName, account,
                ref -> "Reserved concurrency applies to the function, not to a version or alias: " + functionName)
                .name();
    }
}
