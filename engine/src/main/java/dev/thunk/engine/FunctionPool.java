package dev.thunk.engine;

import dev.thunk.core.FunctionVersion;
import dev.thunk.engine.runtimeapi.NextCall;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The invocations waiting for one function version (one configuration of it) and the environments that serve
 * them. Environments pull work: an idle environment parks in {@code /next}; a submitted invocation goes to the most
 * recently idle one (the warmest), or waits, and a new environment is started only when more invocations wait
 * than environments are starting. One lock guards the pool and the state of its environments; it is never held
 * while waiting on anything.
 */
final class FunctionPool {
    /** Starts environments for a pool; the engine. */
    interface Starter {
        void start(FunctionPool pool);
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
            while (!idle.isEmpty()) {
                Environment candidate = idle.pop();
                if (candidate.readyLocked()) {
                    environment = candidate;
                    call = candidate.dispatchLocked(invocation);
                    break;
                }
            }
            if (environment == null) {
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
            starter.start(this);
        }
    }

    /** A new environment belongs to this pool (it counts as one of the {@code starting}). */
    void register(Environment environment) {
        lock.lock();
        try {
            all.add(environment);
            if (retired) {
                environment.retire();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: an environment finished its init. */
    void started(Environment environment) {
        starting--;
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
        return pending.poll();
    }

    /** Under the lock: an environment is gone. */
    void removed(Environment environment) {
        all.remove(environment);
        idle.remove(environment);
    }

    /** An environment could not even be started; one waiting invocation fails with the reason. */
    Invocation launchFailed(Environment environmentOrNull) {
        lock.lock();
        try {
            starting--;
            if (environmentOrNull != null) {
                removed(environmentOrNull);
            }
            return pending.poll();
        } finally {
            lock.unlock();
        }
    }

    /** After an environment ended: start another if invocations still wait for one. */
    void afterExit() {
        boolean start = false;
        lock.lock();
        try {
            if (pending.size() > starting + returning()) {
                starting++;
                start = true;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            starter.start(this);
        }
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
        lock.lock();
        try {
            for (Environment environment : all) {
                if (environment.idleNanos(now) > keepAliveNanos || environment.ageNanos(now) > maxLifetimeNanos) {
                    expired.add(environment);
                }
            }
            idle.removeAll(expired);
        } finally {
            lock.unlock();
        }
        expired.forEach(Environment::retire);
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
            return "function=" + function.name() + ", version=" + function.version() + ", total=" + all.size()
                    + ", idle=" + idle.size() + ", starting=" + starting + ", answered=" + answered
                    + ", waiting=" + pending.size();
        } finally {
            lock.unlock();
        }
    }
}
