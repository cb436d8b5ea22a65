package dev.thunk.engine;

import dev.thunk.core.FunctionVersion;
import dev.thunk.engine.runtimeapi.NextCall;

import dev.thunk.core.control.ProvisionedState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The invocations waiting for one function version (one configuration of it) and the environments that serve
 * them. Environments pull work: an idle environment parks in {@code /next}; a submitted invocation goes to the most
 * recently idle one (the warmest), or waits, and a new environment is started only when more invocations wait
 * than environments are starting. One lock guards the pool and the state of its environments; it is never held
 * while waiting on anything.
 *
 * <p>Provisioned concurrency configurations of this version each ask for a number of environments started ahead of
 * need ({@link #provision}); the pool keeps that many alive, replaces one that dies or outlives its lifetime, hands
 * invocations to them before on-demand ones, and stops starting them for a configuration whose environments fail
 * their init (its status is then FAILED, as in AWS).
 */
final class FunctionPool {
    /** AWS's status reason of a provisioned concurrency configuration whose environments cannot initialise. */
    static final String INIT_FAILURE = "FUNCTION_ERROR_INIT_FAILURE";

    /** Starts environments for a pool; the engine. {@code provisionedFor}: the configuration, or empty. */
    interface Starter {
        void start(FunctionPool pool, Optional<String> provisionedFor);
    }

    /** What one provisioned concurrency configuration asks of this pool, and how far it got. Guarded by lock. */
    private static final class Target {
        int requested;
        /** Starts asked for and not yet registered as environments. */
        int launching;
        /** Set once all requested environments were initialised; stays until the request changes. */
        boolean ready;
        boolean failed;
    }

    final ReentrantLock lock = new ReentrantLock();
    final FunctionVersion function;
    private final Starter starter;
    /** False when the keep-alive is zero: every environment ends after its invocation (always cold). */
    final boolean keepsIdle;

    // Guarded by lock.
    private final Deque<Invocation> pending = new ArrayDeque<>();
    private final Deque<Environment> idle = new ArrayDeque<>();
    private final Set<Environment> all = new HashSet<>();
    private int starting;
    /** Environments that answered and will ask for work again: a waiting invocation waits for them first. */
    private int answered;
    private boolean retired;
    private final Map<String, Target> targets = new HashMap<>();

    FunctionPool(FunctionVersion function, Starter starter, boolean keepsIdle) {
        this.function = function;
        this.starter = starter;
        this.keepsIdle = keepsIdle;
    }

    void submit(Invocation invocation) {
        Environment environment = null;
        NextCall call = null;
        boolean start = false;
        lock.lock();
        try {
            environment = takeIdleLocked();
            if (environment != null) {
                call = environment.dispatchLocked(invocation);
            } else {
                pending.add(invocation);
                if (pending.size() > starting + returning()) {
                    starting++;
                    start = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (environment != null) {
            environment.deliver(call, invocation);
        }
        if (start) {
            starter.start(this, Optional.empty());
        }
    }

    /**
     * Under the lock: the idle environment to run an invocation, provisioned ones first, each kind the most recently
     * idle (the warmest) first; one that can no longer take work is dropped on the way (it is ending).
     */
    private Environment takeIdleLocked() {
        Environment onDemand = null;
        for (Iterator<Environment> it = idle.iterator(); it.hasNext(); ) {
            Environment candidate = it.next();
            if (!candidate.readyLocked()) {
                it.remove();
            } else if (candidate.provisionedFor.isPresent()) {
                it.remove();
                return candidate;
            } else if (onDemand == null) {
                onDemand = candidate;
            }
        }
        if (onDemand != null) {
            idle.remove(onDemand);
        }
        return onDemand;
    }

    /** A new environment belongs to this pool (it counts as one of the {@code starting}). */
    void register(Environment environment) {
        lock.lock();
        try {
            all.add(environment);
            environment.provisionedFor.map(targets::get).ifPresent(t -> t.launching--);
            if (retired) {
                environment.retire();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: an environment finished its init; a provisioned one may complete its configuration. */
    void started(Environment environment) {
        starting--;
        environment.provisionedFor.ifPresent(owner -> {
            // The expired environment it replaces can go now; the configuration never ran short meanwhile.
            all.stream().filter(e -> e.replacingLocked() && !e.retiredLocked() && e.provisionedFor.equals(
                    environment.provisionedFor)).findFirst().ifPresent(Environment::retire);
            Target target = targets.get(owner);
            // This environment still counts as starting until its caller marks it idle.
            int initialised = serving(owner, true) + (environment.retiredLocked() ? 0 : 1);
            if (target != null && initialised >= target.requested) {
                target.ready = true;
            }
        });
    }

    /** Under the lock: an environment answered its invocation; it will ask for work again (or end). */
    void answered() {
        answered++;
    }

    /** Under the lock: an answered environment asked for work again, or ended before it did. */
    void returned() {
        answered--;
    }

    /**
     * Under the lock: an environment asks for work. Dispatches the oldest waiting invocation to it and returns that
     * invocation (the caller delivers it), or parks the environment as idle and returns null.
     */
    Invocation nextFor(Environment environment) {
        Invocation next = pending.poll();
        if (next == null) {
            idle.push(environment);
            return null;
        }
        environment.dispatchLocked(next);
        return next;
    }

    /** Under the lock: an environment died before its init finished; returns the invocation that pays for it. */
    Invocation initFailed(Environment environment) {
        starting--;
        removed(environment);
        environment.provisionedFor.ifPresent(this::failedLocked);
        return pending.poll();
    }

    /**
     * Under the lock: a provisioned environment could not initialise. Starting more would fail the same way, so the
     * configuration fails (until it is put again); environments waiting for replacement are not kept for it.
     */
    private void failedLocked(String owner) {
        Target target = targets.get(owner);
        if (target != null) {
            target.failed = true;
        }
        all.stream().filter(e -> e.replacingLocked() && e.provisionedFor.equals(Optional.of(owner)))
                .toList().forEach(Environment::retire);
    }

    /** Under the lock: an environment is gone. */
    void removed(Environment environment) {
        all.remove(environment);
        idle.remove(environment);
    }

    /** An environment could not even be started; one waiting invocation fails with the reason. */
    Invocation launchFailed(Environment environmentOrNull, Optional<String> provisionedFor) {
        lock.lock();
        try {
            starting--;
            if (environmentOrNull != null) {
                removed(environmentOrNull);
            } else {
                provisionedFor.map(targets::get).ifPresent(t -> t.launching--);
            }
            provisionedFor.ifPresent(this::failedLocked);
            return pending.poll();
        } finally {
            lock.unlock();
        }
    }

    /** After an environment ended: start another if invocations still wait for one, and replace provisioned ones. */
    void afterExit() {
        boolean start = false;
        List<String> provisionedStarts;
        lock.lock();
        try {
            if (pending.size() > starting + returning()) {
                starting++;
                start = true;
            }
            provisionedStarts = provisionedStartsLocked();
        } finally {
            lock.unlock();
        }
        if (start) {
            starter.start(this, Optional.empty());
        }
        startProvisioned(provisionedStarts);
    }

    // ---- provisioned concurrency ------------------------------------------------------------------------------

    /**
     * Sets how many environments the configuration {@code owner} keeps in this pool (0 removes it): starts what is
     * missing, and retires the surplus (idle ones at once, busy ones after their invocation). A new request also
     * clears an earlier failure, as putting a configuration again does in AWS.
     */
    void provision(String owner, int requested) {
        List<String> starts;
        List<Environment> surplus = new ArrayList<>();
        lock.lock();
        try {
            if (requested == 0) {
                targets.remove(owner);
            } else {
                Target target = targets.computeIfAbsent(owner, o -> new Target());
                if (target.requested != requested || target.failed) {
                    target.ready = serving(owner, true) >= requested;
                }
                target.requested = requested;
                target.failed = false;
            }
            int keep = requested;
            // Idle and starting ones go first: a busy environment is spared its invocation if it can be.
            List<Environment> own = all.stream().filter(e -> e.servesConfigurationLocked()
                    && e.provisionedFor.equals(Optional.of(owner)))
                    .sorted(java.util.Comparator.comparing(e -> e.state() == Environment.State.BUSY ? 0 : 1))
                    .toList();
            for (int i = keep; i < own.size(); i++) {
                surplus.add(own.get(i));
            }
            starts = provisionedStartsLocked();
        } finally {
            lock.unlock();
        }
        surplus.forEach(Environment::retire);
        startProvisioned(starts);
    }

    /** The progress of configuration {@code owner} in this pool; {@code starting()} if it asks nothing here. */
    ProvisionedState provisionedState(String owner) {
        lock.lock();
        try {
            Target target = targets.get(owner);
            if (target == null) {
                return ProvisionedState.starting();
            }
            int allocated = Math.min(target.requested, serving(owner, false));
            ProvisionedState.Status status = target.failed ? ProvisionedState.Status.FAILED
                    : target.ready ? ProvisionedState.Status.READY : ProvisionedState.Status.IN_PROGRESS;
            return new ProvisionedState(allocated, allocated, status,
                    target.failed ? Optional.of(INIT_FAILURE) : Optional.empty());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: initialised environments of the configuration; with {@code countingOnly}, only those that
     * count toward it (not the expired ones waiting for their replacement).
     */
    private int serving(String owner, boolean countingOnly) {
        Optional<String> key = Optional.of(owner);
        return (int) all.stream().filter(e -> e.provisionedFor.equals(key) && e.initialisedLocked()
                && !e.retiredLocked() && (!countingOnly || !e.replacingLocked())).count();
    }

    /**
     * Under the lock: the configurations that miss environments, one entry per start to make now; each is counted
     * as launching and starting at once, so no other caller starts the same one.
     */
    private List<String> provisionedStartsLocked() {
        List<String> starts = new ArrayList<>();
        if (retired) {
            return starts;
        }
        targets.forEach((owner, target) -> {
            if (target.failed) {
                return;
            }
            long present = all.stream().filter(e -> e.servesConfigurationLocked()
                    && e.provisionedFor.equals(Optional.of(owner))).count();
            for (long missing = target.requested - present - target.launching; missing > 0; missing--) {
                target.launching++;
                starting++;
                starts.add(owner);
            }
        });
        return starts;
    }

    private void startProvisioned(List<String> owners) {
        owners.forEach(owner -> starter.start(this, Optional.of(owner)));
    }

    /** Under the lock: answered environments that will take more work (none when every start is cold). */
    private int returning() {
        return keepsIdle ? answered : 0;
    }

    /** Takes every invocation still waiting for an environment (the server is stopping). */
    List<Invocation> drainPending() {
        lock.lock();
        try {
            List<Invocation> drained = new ArrayList<>(pending);
            pending.clear();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /** The function changed: keep no idle environment, and end the others after their invocation. */
    void retire() {
        List<Environment> current;
        lock.lock();
        try {
            // Marked first, under the same lock as register(): an environment registering later retires itself.
            retired = true;
            current = new ArrayList<>(all);
        } finally {
            lock.unlock();
        }
        current.forEach(Environment::retire);
    }

    /**
     * Ends idle environments that have waited longer than {@code keepAliveNanos}, and retires every environment
     * older than {@code maxLifetimeNanos} (a busy one ends after its invocation); returns how many were touched.
     */
    int reap(long now, long keepAliveNanos, long maxLifetimeNanos) {
        List<Environment> expired = new ArrayList<>();
        List<String> replacements;
        lock.lock();
        try {
            for (Environment environment : all) {
                if (environment.provisionedFor.isPresent() && !environment.retiredLocked()) {
                    // Never ended for idling; past its lifetime it serves on until its replacement is initialised.
                    if (!environment.replacingLocked() && environment.ageNanos(now) > maxLifetimeNanos) {
                        environment.replaceLocked();
                    }
                } else if (environment.idleNanos(now) > keepAliveNanos
                        || environment.ageNanos(now) > maxLifetimeNanos) {
                    expired.add(environment);
                }
            }
            idle.removeAll(expired);
            replacements = provisionedStartsLocked();
        } finally {
            lock.unlock();
        }
        expired.forEach(Environment::retire);
        startProvisioned(replacements);
        return expired.size();
    }

    List<Environment> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(all);
        } finally {
            lock.unlock();
        }
    }

    boolean empty() {
        lock.lock();
        try {
            return all.isEmpty() && pending.isEmpty() && starting == 0;
        } finally {
            lock.unlock();
        }
    }

    /** For error messages and metrics: {@code total=, idle=, starting=, waiting=}. */
    String describe() {
        lock.lock();
        try {
            long provisioned = all.stream().filter(e -> e.provisionedFor.isPresent() && e.initialisedLocked()
                    && !e.retiredLocked()).count();
            return "function=" + function.name() + ", version=" + function.version() + ", total=" + all.size()
                    + ", idle=" + idle.size() + ", starting=" + starting + ", answered=" + answered
                    + ", waiting=" + pending.size() + ", provisioned=" + provisioned;
        } finally {
            lock.unlock();
        }
    }
}
