package dev.thunk.core.control;

import dev.thunk.core.Account;
import dev.thunk.core.Alias;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Validation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Aliases: Create/Get/Update/Delete/ListAliases, each pointing at a version and optionally sending a share of
 * invocations to one more version (a canary). Every change tells the engine, which routes by the alias.
 */
public final class AliasService {
    private static final Pattern NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    private static final Pattern VERSION = Pattern.compile("(\\$LATEST|[0-9]+)");

    private final Account account;
    private final FunctionStore store;
    private final FunctionListener listener;

    public AliasService(Account account, FunctionStore store, FunctionListener listener) {
        this.account = account;
        this.store = store;
        this.listener = listener;
    }

    /** What a Create or Update request names; empty fields are left as they are on update. */
    public record AliasChange(Optional<String> functionVersion, Optional<String> description,
                              Optional<Map<String, Double>> weights, Optional<String> revisionId) {
    }

    public Alias create(String functionName, String aliasName, AliasChange change) {
        String function = unqualified(functionName);
        new Validation().required("name", aliasName).length("name", aliasName, 1, 128).pattern("name", aliasName, NAME)
                .required("functionVersion", change.functionVersion().orElse(null)).check();
        Alias alias = checked(function, new Alias(function, aliasName, change.functionVersion().get(),
                change.description().orElse(""), change.weights().orElse(Map.of()), UUID.randomUUID().toString()));
        if (!store.createAlias(alias)) {
            throw LambdaException.conflict("Alias already exists: " + arn(function, aliasName));
        }
        listener.qualifiersChanged(function);
        return alias;
    }

    public Alias get(String functionName, String aliasName) {
        String function = unqualified(functionName);
        return store.findAlias(function, aliasName)
                .orElseThrow(() -> LambdaException.notFound("Alias not found: " + arn(function, aliasName)));
    }

    public List<Alias> list(String functionName, Optional<String> functionVersion) {
        String function = unqualified(functionName);
        requireFunction(function);
        return store.listAliases(function).stream()
                .filter(a -> functionVersion.map(v -> a.functionVersion().equals(v)
                        || a.additionalVersionWeights().containsKey(v)).orElse(true))
                .toList();
    }

    public Alias update(String functionName, String aliasName, AliasChange change) {
        String function = unqualified(functionName);
        Alias updated = store.updateAlias(function, aliasName, current -> {
            if (change.revisionId().isPresent() && !change.revisionId().get().equals(current.revisionId())) {
                throw LambdaException.revisionMismatch();
            }
            return checked(function, new Alias(function, aliasName,
                    change.functionVersion().orElse(current.functionVersion()),
                    change.description().orElse(current.description()),
                    change.weights().orElse(current.additionalVersionWeights()), UUID.randomUUID().toString()));
        }).orElseThrow(() -> LambdaException.notFound("Alias not found: " + arn(function, aliasName)));
        listener.qualifiersChanged(function);
        return updated;
    }

    public void delete(String functionName, String aliasName) {
        String function = unqualified(functionName);
        requireFunction(function);
        store.deleteAlias(function, aliasName);
        listener.qualifiersChanged(function);
    }

    public String arn(String function, String alias) {
        return account.functionArn(function, alias);
    }

    /** The model's constraints, then the versions named must exist and make sense together. */
    private Alias checked(String function, Alias alias) {
        Validation v = new Validation()
                .length("functionVersion", alias.functionVersion(), 1, 1024)
                .pattern("functionVersion", alias.functionVersion(), VERSION)
                .length("description", alias.description(), 0, 256);
        alias.additionalVersionWeights().forEach((version, weight) -> {
            if (!version.matches("[0-9]+")) {
                v.failWithoutValue("routingConfig.additionalVersionWeights", "Map keys must satisfy constraint: "
                        + "[Member must satisfy regular expression pattern: [0-9]+]");
            }
            if (weight < 0.0 || weight > 1.0) {
                v.fail(weight, "routingConfig.additionalVersionWeights." + version,
                        "Member must have value " + (weight < 0 ? "greater than or equal to 0.0" : "less than or equal to 1.0"));
            }
        });
        v.check();
        requireVersion(function, alias.functionVersion());
        if (alias.additionalVersionWeights().size() > 1) {
            throw LambdaException.invalidParameter("Number of additional versions cannot exceed 1.");
        }
        for (String extra : alias.additionalVersionWeights().keySet()) {
            if (extra.equals(alias.functionVersion())) {
                throw LambdaException.invalidParameter(
                        "Invalid function version " + extra + ". Function version " + extra
                                + " is already included in routing configuration.");
            }
            if (alias.functionVersion().equals(FunctionVersion.LATEST)) {
                throw LambdaException.invalidParameter("$LATEST is not supported for an alias pointing to more "
                        + "than 1 version");
            }
            requireVersion(function, extra);
        }
        return alias;
    }

    private void requireVersion(String function, String version) {
        boolean exists = version.equals(FunctionVersion.LATEST)
                ? store.find(function).isPresent()
                : FunctionService.versionNumber(version).flatMap(n -> store.findVersion(function, n)).isPresent();
        if (!exists) {
            throw new LambdaException(ErrorCode.ResourceNotFoundException,
                    "Function not found: " + account.functionArn(function, version));
        }
    }

    private void requireFunction(String function) {
        if (store.find(function).isEmpty()) {
            throw LambdaException.functionNotFound(account.functionArn(function));
        }
    }

    private String unqualified(String functionName) {
        return FunctionRef.parseUnqualified(functionName, account,
                ref -> "Aliases belong to the unqualified function: " + functionName).name();
    }
}
