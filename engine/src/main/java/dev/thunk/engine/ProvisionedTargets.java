package dev.thunk.engine;

import dev.thunk.core.control.ProvisionedState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the provisioned concurrency configurations of one pool ask of it, and how far they got: per configuration
 * (keyed by its qualifier), the number of environments requested, the starts under way, whether all were ever
 * initialised (READY) and whether one failed its init (FAILED, after which none is started until the
 * configuration is set again). Part of {@link FunctionPool}: every method runs under the pool's lock and reads the
 * pool's environments.
 */
final class ProvisionedTargets {
    /** AWS's status reason of a configuration whose environments cannot initialise. */
    static final String INIT_FAILURE = "FUNCTION_ERROR_INIT_FAILURE";

    private static final class Target {
        int requested;
        /** Starts asked for and not yet registered as environments. */
        int launching;
        /** Set once all requested environments were initialised; stays until the request changes. */
        boolean ready;
        boolean failed;
    }

    private final Map<String, Target> targets = new HashMap<>();
    private final Set<Environment> environments;

    /** {@code environments}: the pool's own set, read under its lock. */
    ProvisionedTargets(Set<Environment> environments) {
        this.environments = environments;
    }

    /**
     * Sets the configuration's request (0 removes it) and clears an earlier failure, as putting a configuration
     * again does in AWS. Returns the surplus environments to retire: idle and starting ones before busy ones.
     */
    List<Environment> request(String owner, int requested) {
        if (requested == 0) {
            targets.remove(owner);
        } else {
            Target target = targets.computeIfAbsent(owner, o -> new Target());
            if (target.requested != requested || target.failed) {
                target.ready = initialised(owner, true) >= requested;
            }
            target.requested = requested;
            target.failed = false;
        }
        List<Environment> own = environments.stream().filter(e -> counts(e, owner))
                .sorted(Comparator.comparing(e -> e.state() == Environment.State.BUSY ? 0 : 1))
                .toList();
        return new ArrayList<>(own.subList(Math.min(requested, own.size()), own.size()));
    }

    /**
     * The starts to make now, one configuration qualifier per missing environment; each is counted as launching at
     * once, so that no other caller starts the same one.
     */
    List<String> missing() {
        List<String> starts = new ArrayList<>();
        targets.forEach((owner, target) -> {
            if (target.failed) {
                return;
            }
            long present = environments.stream().filter(e -> counts(e, owner)).count();
            for (long missing = target.requested - present - target.launching; missing > 0; missing--) {
                target.launching++;
                starts.add(owner);
            }
        });
        return starts;
    }

    /** A start for the configuration became an environment of the pool, or failed before it could. */
    void launched(Optional<String> owner) {
        owner.map(targets::get).ifPresent(t -> t.launching--);
    }

    /**
     * A provisioned environment finished its init (it is still STARTING): the configuration may be complete, and an
     * expired environment it replaces can go now, so the configuration never ran short meanwhile. Returns that one.
     */
    Optional<Environment> initialised(Environment environment) {
        String owner = environment.provisionedFor.orElseThrow();
        Target target = targets.get(owner);
        int initialised = initialised(owner, true) + (environment.retiredLocked() ? 0 : 1);
        if (target != null && initialised >= target.requested) {
            target.ready = true;
        }
        return environments.stream().filter(e -> e.replacingLocked() && !e.retiredLocked()
                && e.provisionedFor.equals(environment.provisionedFor)).findFirst();
    }

    /**
     * A provisioned environment could not initialise: starting more would fail the same way, so the configuration
     * fails. Returns the expired environments that waited for a replacement; they are not kept for it.
     */
    List<Environment> failed(String owner) {
        Target target = targets.get(owner);
        if (target != null) {
            target.failed = true;
        }
        return environments.stream().filter(e -> e.replacingLocked() && e.provisionedFor.equals(Optional.of(owner)))
                .toList();
    }

    ProvisionedState state(String owner) {
        Target target = targets.get(owner);
        if (target == null) {
            return ProvisionedState.starting();
        }
        int allocated = Math.min(target.requested, initialised(owner, false));
        ProvisionedState.Status status = target.failed ? ProvisionedState.Status.FAILED
                : target.ready ? ProvisionedState.Status.READY : ProvisionedState.Status.IN_PROGRESS;
        return new ProvisionedState(allocated, allocated, status,
                target.failed ? Optional.of(INIT_FAILURE) : Optional.empty());
    }

    /** Initialised provisioned environments of every configuration, for the pool's description. */
    long initialised() {
        return environments.stream().filter(e -> e.provisionedFor.isPresent() && e.initialisedLocked()
                && !e.retiredLocked()).count();
    }

    /** Whether the environment counts toward the configuration (alive, not retired, not waiting to be replaced). */
    private static boolean counts(Environment environment, String owner) {
        return environment.servesConfigurationLocked() && environment.provisionedFor.equals(Optional.of(owner));
    }

    /**
     * Initialised environments of the configuration; with {@code countingOnly}, only those that count toward it
     * (not the expired ones waiting for their replacement).
     */
    private int initialised(String owner, boolean countingOnly) {
        Optional<String> key = Optional.of(owner);
        return (int) environments.stream().filter(e -> e.provisionedFor.equals(key) && e.initialisedLocked()
                && !e.retiredLocked() && (!countingOnly || !e.replacingLocked())).count();
    }
}
