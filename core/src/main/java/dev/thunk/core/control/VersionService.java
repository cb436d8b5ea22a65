package dev.thunk.core.control;

import dev.thunk.core.Account;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Status;
import dev.thunk.core.Validation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Published versions: immutable snapshots of {@code $LATEST}'s code and configuration, numbered 1, 2, ... per
 * function. Publishing what is already the latest version publishes nothing and returns it. Thread-safe: the
 * snapshot and its number are taken in one store transaction.
 */
public final class VersionService {
    private final Account account;
    private final FunctionStore store;
    private final Clock clock;

    public VersionService(Account account, FunctionStore store, Clock clock) {
        this.account = account;
        this.store = store;
        this.clock = clock;
    }

    public FunctionVersion publish(String functionName, Optional<String> codeSha256, Optional<String> description,
                                   Optional<String> revisionId) {
        String name = unqualified(functionName);
        description.ifPresent(d -> new Validation().length("description", d, 0, 256).check());
        return store.publishVersion(name, (latest, last) -> {
            revisionId.filter(r -> !r.equals(latest.revisionId())).ifPresent(r -> {
                throw LambdaException.revisionMismatch();
            });
            if (latest.status().updateInProgress()) {
                throw LambdaException.conflict("The operation cannot be performed at this time. "
                        + "An update is in progress for resource: " + account.functionArn(name));
            }
            codeSha256.filter(sha -> !sha.equals(latest.code().sha256())).ifPresent(sha -> {
                throw LambdaException.invalidParameter("CodeSHA256 (" + sha + ") is different from current "
                        + "CodeSHA256 in $LATEST (" + latest.code().sha256() + "). Please try again.");
            });
            if (last.isPresent() && sameSnapshot(last.get(), latest, description)) {
                return last.get();
            }
            int number = last.map(v -> Integer.parseInt(v.version()) + 1).orElse(1);
            FunctionConfig c = latest.config();
            FunctionConfig config = new FunctionConfig(c.runtime(), c.handler(), c.role(),
                    description.orElse(c.description()), c.memorySize(), c.timeout(), c.ephemeralStorage(),
                    c.environment(), c.architectures(), c.layers(), c.deadLetterTargetArn(), c.tracingMode());
            return new FunctionVersion(name, Integer.toString(number), config, latest.code(), Status.ACTIVE,
                    UUID.randomUUID().toString(), clock.instant());
        }).orElseThrow(() -> LambdaException.functionNotFound(account.functionArn(name)));
    }

    /** {@code $LATEST} first, then the published versions in order, one page at a time. */
    public VersionPage list(String functionName, Optional<String> marker, Optional<Integer> maxItems) {
        String name = unqualified(functionName);
        new Validation().range("maxItems", maxItems.orElse(null), 1, 10000).check();
        FunctionVersion latest = store.find(name)
                .orElseThrow(() -> LambdaException.functionNotFound(account.functionArn(name)));
        int limit = maxItems.orElse(50);
        int after = marker.map(VersionService::parseMarker).orElse(-1);
        List<FunctionVersion> page = new ArrayList<>();
        if (after < 0) {
            page.add(latest);
        }
        page.addAll(store.listVersions(name, Math.max(after, 0), limit + 1 - page.size()));
        if (page.size() <= limit) {
            return new VersionPage(page, Optional.empty());
        }
        List<FunctionVersion> shown = page.subList(0, limit);
        String lastShown = shown.get(limit - 1).version();
        return new VersionPage(shown, Optional.of(lastShown.equals(FunctionVersion.LATEST) ? "0" : lastShown));
    }

    /** A page of ListVersionsByFunction; the marker is the last version number shown. */
    public record VersionPage(List<FunctionVersion> versions, Optional<String> nextMarker) {
    }

    /** AWS publishes nothing new when neither the code nor the configuration changed since the last version. */
    private static boolean sameSnapshot(FunctionVersion version, FunctionVersion latest, Optional<String> description) {
        FunctionConfig v = version.config();
        FunctionConfig l = latest.config();
        boolean sameConfig = v.runtime().equals(l.runtime()) && v.handler().equals(l.handler())
                && v.role().equals(l.role()) && v.memorySize() == l.memorySize() && v.timeout() == l.timeout()
                && v.ephemeralStorage() == l.ephemeralStorage() && v.environment().equals(l.environment())
                && v.architectures().equals(l.architectures()) && v.layers().equals(l.layers())
                && v.deadLetterTargetArn().equals(l.deadLetterTargetArn()) && v.tracingMode().equals(l.tracingMode());
        return sameConfig && version.code().sha256().equals(latest.code().sha256())
                && description.map(d -> d.equals(v.description())).orElse(true);
    }

    private static int parseMarker(String marker) {
        try {
            return Integer.parseInt(marker);
        } catch (NumberFormatException e) {
            throw LambdaException.invalidParameter("Invalid marker: " + marker);
        }
    }

    private String unqualified(String functionName) {
        return FunctionRef.parseUnqualified(functionName, account,
                ref -> "Versions are published from the unqualified function: " + functionName).name();
    }
}
