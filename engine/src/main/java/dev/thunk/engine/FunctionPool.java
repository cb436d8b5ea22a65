package dev.thunk.engine;

import dev.thunk.core.FunctionVersion;
import dev.thunk.core.control.ProvisionedState;
import dev.thunk.engine.runtimeapi.NextCall;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
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
    /** Starts environments for a pool; the engine. {@code provisionedFor}: the configuration, or empty. */
    interface Starter {
        void start(FunctionPool pool, Optional<String> provisionedFor);
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
    private final ProvisionedTargets targets = new ProvisionedTargets(all);

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
            targets.launched(environment.provisionedFor);
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
        if (environment.provisionedFor.isPresent()) {
            targets.initialised(environment).ifPresent(Environment::retire);
        }
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

    /** Under the lock: an idle environment's long poll is replaced; it parks again through {@link #nextFor}. */
    void unparked(Environment environment) {
        idle.remove(environment);
    }

    /** Under the lock: an environment died before its init finished; returns the invocation that pays for it. */
    Invocation initFailed(Environment environment) {
        starting--;
        removed(environment);
        environment.provisionedFor.ifPresent(owner -> targets.failed(owner).forEach(Environment::retire));
        return pending.poll();
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
                targets.launched(provisionedFor);
            }
            provisionedFor.ifPresent(owner -> targets.failed(owner).forEach(Environment::retire));
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
        List<Environment> surplus;
        lock.lock();
        try {
            surplus = targets.request(owner, requested);
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
            return targets.state(owner);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the provisioned starts to make now, each counted as starting at once. */
    private List<String> provisionedStartsLocked() {
        if (retired) {
            return List.of();
        }
        List<String> starts = targets.missing();
        starting += starts.size();
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

    /** Whether {@link #retire} was called: new invocations go elsewhere, and its environments end when idle. */
    boolean retired() {
        lock.lock();
        try {
            return retired;
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
            return "function=" + function.name() + ", version=" + function.version() + ", total=" + all.size()
                    + ", idle=" + idle.size() + ", starting=" + starting + ", answered=" + answered
                    + ", waiting=" + pending.size() + ", provisioned=" + targets.initialised();
        } finally {
            lock.unlock();
        }
    }
}
