package dev.thunk.core.control;

import dev.thunk.core.Account;
import dev.thunk.core.Alias;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.ProvisionedConcurrencyConfig;
import dev.thunk.core.ProvisionedConcurrencyStore;
import dev.thunk.core.Validation;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Put/Get/Delete/ListProvisionedConcurrencyConfigs. A configuration belongs to a published version or an alias
 * (never {@code $LATEST}), and a version cannot be provisioned both directly and through an alias. Provisioned
 * concurrency comes out of the function's reservation if it has one, else out of the account's unreserved pool,
 * which keeps at least {@link ConcurrencyService#MIN_UNRESERVED}. Thread-safe: the checks and the change are one
 * store transaction; the engine is told after the commit.
 */
public final class ProvisionedConcurrencyService {
    private static final Pattern QUALIFIER = Pattern.compile("(|[a-zA-Z0-9$_-]+)");
    static final String NOT_PUBLISHED = "Provisioned Concurrency Configs cannot be applied to unpublished function "
            + "versions.";

    private final Account account;
    private final FunctionStore functions;
    private final ProvisionedConcurrencyStore configs;
    private final ProvisionedEnvironments environments;
    private final int accountLimit;
    private final Clock clock;

    /** {@code configs} must share {@code functions}' transactions (one database), so that checks see both. */
    public ProvisionedConcurrencyService(Account account, FunctionStore functions, ProvisionedConcurrencyStore configs,
                                         ProvisionedEnvironments environments, int accountLimit, Clock clock) {
        this.account = account;
        this.functions = functions;
        this.configs = configs;
        this.environments = environments;
        this.accountLimit = accountLimit;
        this.clock = clock;
    }

    /** A configuration with the engine's progress on it. */
    public record ProvisionedConcurrency(ProvisionedConcurrencyConfig config, ProvisionedState state) {
    }

    public ProvisionedConcurrency put(String functionName, Optional<String> qualifierParameter,
                                      Optional<Integer> requested) {
        new Validation().required("provisionedConcurrentExecutions", requested.orElse(null))
                .range("provisionedConcurrentExecutions", requested.orElse(null), 1, Integer.MAX_VALUE).check();
        Target target = target(functionName, qualifierParameter, NOT_PUBLISHED);
        ProvisionedConcurrencyConfig config = new ProvisionedConcurrencyConfig(target.name, target.qualifier,
                requested.get(), clock.instant());
        boolean stored = configs.putProvisionedConcurrency(config, () -> {
            // Read again inside the transaction: what was checked above may have changed meanwhile.
            checkConflicts(target(functionName, qualifierParameter, NOT_PUBLISHED));
            checkBudget(config);
        });
        if (!stored) {
            throw LambdaException.functionNotFound(account.functionArn(target.name));
        }
        environments.provisionedChanged(target.name);
        return withState(config);
    }

    public ProvisionedConcurrency get(String functionName, Optional<String> qualifier) {
        Target target = target(functionName, qualifier, "The function resource provided must be an alias or a "
                + "published version.");
        return configs.findProvisionedConcurrency(target.name, target.qualifier).map(this::withState)
                .orElseThrow(() -> new LambdaException(ErrorCode.ProvisionedConcurrencyConfigNotFoundException,
                        "No Provisioned Concurrency Config found for this function"));
    }

    /** Deleting a configuration that does not exist is not an error, as in AWS; its target must exist. */
    public void delete(String functionName, Optional<String> qualifier) {
        Target target = target(functionName, qualifier, "The function resource provided must be an alias or a "
                + "published version.");
        if (configs.deleteProvisionedConcurrency(target.name, target.qualifier)) {
            environments.provisionedChanged(target.name);
        }
    }

    /** One page of the function's configurations, after {@code marker} (a qualifier), at most {@code maxItems}. */
    public Page list(String functionName, Optional<String> marker, Optional<Integer> maxItems) {
        new Validation().range("maxItems", maxItems.orElse(null), 1, 50).check();
        FunctionRef ref = FunctionRef.parseUnqualified(functionName, account,
                r -> "Qualifier is not supported for ListProvisionedConcurrencyConfigs.");
        if (functions.find(ref.name()).isEmpty()) {
            throw LambdaException.functionNotFound(account.functionArn(ref.name()));
        }
        List<ProvisionedConcurrencyConfig> all = configs.listProvisionedConcurrency(ref.name()).stream()
                .filter(c -> marker.map(m -> c.qualifier().compareTo(m) > 0).orElse(true))
                .toList();
        int limit = maxItems.orElse(50);
        List<ProvisionedConcurrencyConfig> page = all.subList(0, Math.min(limit, all.size()));
        Optional<String> next = all.size() > limit ? Optional.of(page.getLast().qualifier()) : Optional.empty();
        return new Page(page.stream().map(this::withState).toList(), next);
    }

    public record Page(List<ProvisionedConcurrency> configs, Optional<String> nextMarker) {
    }

    /** The ARN a configuration is listed under: the function's, qualified by its version or alias. */
    public String functionArn(ProvisionedConcurrencyConfig config) {
        return account.functionArn(config.functionName(), config.qualifier());
    }

    private ProvisionedConcurrency withState(ProvisionedConcurrencyConfig config) {
        return new ProvisionedConcurrency(config, environments.state(config.functionName(), config.qualifier()));
    }

    /** A version or an alias, with the versions it provisions (an alias's main and weighted ones). */
    private record Target(String name, String qualifier, Optional<Alias> alias) {
    }

    /** The function and qualifier a request names; both must exist, and the qualifier must be published. */
    private Target target(String functionName, Optional<String> qualifierParameter, String latestRefusal) {
        FunctionRef ref = FunctionRef.parse(functionName, account);
        String qualifier = ref.qualifiedBy(qualifierParameter).orElse(null);
        new Validation().required("qualifier", qualifier).length("qualifier", qualifier, 1, 128)
                .pattern("qualifier", qualifier, QUALIFIER).check();
        if (qualifier.equals(FunctionVersion.LATEST)) {
            throw LambdaException.invalidParameter(latestRefusal);
        }
        if (functions.find(ref.name()).isEmpty()) {
            throw LambdaException.functionNotFound(account.functionArn(ref.name()));
        }
        Optional<Integer> number = FunctionService.versionNumber(qualifier);
        if (number.isPresent()) {
            if (functions.findVersion(ref.name(), number.get()).isEmpty()) {
                throw LambdaException.functionNotFound(account.functionArn(ref.name(), qualifier));
            }
            return new Target(ref.name(), qualifier, Optional.empty());
        }
        Alias alias = functions.findAlias(ref.name(), qualifier).orElseThrow(() -> LambdaException.notFound(
                "Cannot find alias arn: " + account.functionArn(ref.name(), qualifier)));
        if (alias.functionVersion().equals(FunctionVersion.LATEST)) {
            throw LambdaException.invalidParameter(NOT_PUBLISHED);
        }
        return new Target(ref.name(), qualifier, Optional.of(alias));
    }

    /** A version is provisioned either directly or through aliases, never both. */
    private void checkConflicts(Target target) {
        List<ProvisionedConcurrencyConfig> existing = configs.listProvisionedConcurrency(target.name);
        if (target.alias.isPresent()) {
            Alias alias = target.alias.get();
            boolean versionProvisioned = existing.stream().anyMatch(c -> c.qualifier().equals(alias.functionVersion())
                    || alias.additionalVersionWeights().containsKey(c.qualifier()));
            if (versionProvisioned) {
                throw LambdaException.conflict("Alias can't be used for Provisioned Concurrency configuration on an "
                        + "already Provisioned version");
            }
            return;
        }
        for (ProvisionedConcurrencyConfig other : existing) {
            if (FunctionService.versionNumber(other.qualifier()).isPresent()) {
                continue;
            }
            Optional<Alias> alias = functions.findAlias(target.name, other.qualifier());
            if (alias.isPresent() && (alias.get().functionVersion().equals(target.qualifier)
                    || alias.get().additionalVersionWeights().containsKey(target.qualifier))) {
                throw LambdaException.conflict("Version is pointed by a Provisioned Concurrency alias");
            }
        }
    }

    /** Within the function's reservation if it has one; else the unreserved pool keeps its minimum. */
    private void checkBudget(ProvisionedConcurrencyConfig config) {
        List<ProvisionedConcurrencyConfig> after = new java.util.ArrayList<>(configs.allProvisionedConcurrency()
                .stream().filter(c -> !(c.functionName().equals(config.functionName())
                        && c.qualifier().equals(config.qualifier()))).toList());
        after.add(config);
        Map<String, Integer> reserved = new HashMap<>(functions.reservedConcurrencies());
        Integer reservation = reserved.get(config.functionName());
        if (reservation != null) {
            int total = ConcurrencyBudget.provisionedByFunction(after).get(config.functionName());
            if (total > reservation) {
                throw LambdaException.invalidParameter("Requested Provisioned Concurrency should not be greater than "
                        + "the reservedConcurrentExecution for function");
            }
            return;
        }
        if (accountLimit - ConcurrencyBudget.committed(reserved, after) < ConcurrencyService.MIN_UNRESERVED) {
            throw LambdaException.invalidParameter("Specified ConcurrentExecutions for function decreases account's "
                    + "UnreservedConcurrentExecution below its minimum value of ["
                    + ConcurrencyService.MIN_UNRESERVED + "].");
        }
    }
}
