package dev.thunk.engine;

import dev.thunk.engine.launch.FileTrees;
import dev.thunk.engine.launch.LaunchSpec;
import dev.thunk.engine.launch.MemoryLimits;
import dev.thunk.engine.launch.ProcessLauncher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stem cells: runtime processes (Python, Node.js, Java) started ahead of need, not yet bound to any function. A
 * cold start takes one ({@link #take}) and binds it instead of starting a process, so it skips the interpreter's or
 * JVM's start-up and the runtime client's warm-up.
 *
 * <p>One small pool per {@link Key} (the runtime command, which names the interpreter or JDK and for Java the heap,
 * the memory size the cell's cgroup is limited to, and the size of its sandbox's {@code /tmp}). Only cells that
 * are {@link StemCell#ready ready} (warmed up) are taken. A pool grows with demand: each cold start that finds no
 * ready cell raises its target by one (at most {@value #PER_KEY}); once that cold start's environment has finished
 * its init (so the new process does not compete with it for the cores), {@link #replenish} starts cells up to the
 * target. Cells idle past the idle limit or older than the lifetime end, and the target shrinks to what is left. At most {@value #TOTAL} cells exist in all. Cells count in no concurrency limit and in
 * no function's pool; an unbound cell dies with the server like any environment ({@link #close}, and the
 * sandbox's parent-death signal).
 *
 * <p>Thread-safe: one lock guards the pools, never held while starting or ending a process.
 */
final class StemCells implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StemCells.class.getName());
    static final int PER_KEY = 4;
    static final int TOTAL = 16;

    /** What makes cells interchangeable. */
    record Key(List<String> command, int memoryMb, int tmpMb) {
        Key {
            command = List.copyOf(command);
        }

        String label() {
            String program = command.isEmpty() ? "?" : Path.of(command.getFirst()).getFileName().toString();
            return program + " " + memoryMb + " MB";
        }
    }

    /** Counters for tests, metrics and the start-up report. */
    record Counts(int idle, int starting, long bound, long started) {
    }

    private static final class Pool {
        final Deque<StemCell> idle = new ArrayDeque<>();
        int starting;
        int target;
    }

    /** A cell's start-up environment (its command is its key's; its directories and cgroup are its own). */
    interface StartEnvironment extends Function<StemCell, Map<String, String>> {
    }

    private final Path directory;
    private final ProcessLauncher launcher;
    private final MemoryLimits memoryLimits;
    private final Executor executor;
    private final StartEnvironment startEnvironment;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final Map<Key, Pool> pools = new LinkedHashMap<>();
    private final Set<StemCell> unbound = new HashSet<>();
    /** The clean-ups of cells whose process has not ended yet or whose files are being removed. */
    private final Set<CompletableFuture<Void>> cleanups = ConcurrentHashMap.newKeySet();
    private long bound;
    private long started;
    private boolean closed;

    StemCells(Path directory, ProcessLauncher launcher, MemoryLimits memoryLimits, Executor executor,
              StartEnvironment startEnvironment) {
        this.directory = directory;
        this.launcher = launcher;
        this.memoryLimits = memoryLimits;
        this.executor = executor;
        this.startEnvironment = startEnvironment;
        // Cells of a server that was killed: their processes died with it, their files remain.
        FileTrees.deleteQuietly(directory);
    }

    /**
     * A live, ready cell of {@code key}, now claimed by the caller (who binds it or releases it); empty if there is
     * none, which makes the pool grow. Call {@link #replenish} once the environment started instead (or bound)
     * has finished its init.
     */
    Optional<StemCell> take(Key key) {
        StemCell taken = null;
        lock.lock();
        try {
            if (closed) {
                return Optional.empty();
            }
            Pool pool = pools.computeIfAbsent(key, k -> new Pool());
            for (Iterator<StemCell> it = pool.idle.iterator(); it.hasNext() && taken == null; ) {
                StemCell cell = it.next();
                if (!cell.alive()) {
                    it.remove();
                } else if (cell.ready()) {
                    it.remove();
                    taken = cell;
                }
            }
            if (taken != null) {
                taken.claim();
                unbound.remove(taken);
                bound++;
            } else {
                pool.target = Math.min(PER_KEY, pool.target + 1);
            }
        } finally {
            lock.unlock();
        }
        return Optional.ofNullable(taken);
    }

    /** Starts cells of {@code key} up to its pool's target (after a cold start of that kind finished its init). */
    void replenish(Key key) {
        int starts = 0;
        lock.lock();
        try {
            Pool pool = pools.get(key);
            while (pool != null && reserveStartLocked(pool)) {
                starts++;
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < starts; i++) {
            start(key);
        }
    }

    /** Under the lock: whether to start a cell for {@code pool} now (counted as starting at once). */
    private boolean reserveStartLocked(Pool pool) {
        if (closed || pool.idle.size() + pool.starting >= pool.target || unbound.size() + startingLocked() >= TOTAL) {
            return false;
        }
        pool.starting++;
        return true;
    }

    private int startingLocked() {
        return pools.values().stream().mapToInt(p -> p.starting).sum();
    }

    private int idleLocked() {
        return pools.values().stream().mapToInt(p -> p.idle.size()).sum();
    }

    private void start(Key key) {
        try {
            executor.execute(() -> launch(key));
        } catch (RejectedExecutionException e) {
            startEnded(key, null);
        }
    }

    private void launch(Key key) {
        StemCell cell = new StemCell(Environment.newId(), key, directory.resolve(Environment.newId()));
        Optional<MemoryLimits.Cgroup> cgroup = Optional.empty();
        try {
            cell.createDirectories();
            cgroup = memoryLimits.create(cell.id, key.memoryMb());
            Process process = launcher.start(new LaunchSpec(cell.id, key.command(), startEnvironment.apply(cell),
                    cell.taskRoot(), cell.optRoot(), key.tmpMb(), cell.output(), cgroup, true)).join();
            cell.attach(process, cgroup);
            CompletableFuture<Void> cleanup = process.onExit().thenRun(() -> exited(cell));
            cleanups.add(cleanup);
            cleanup.whenComplete((ignored, failure) -> cleanups.remove(cleanup));
            startEnded(key, cell);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot start a stem cell (" + key.label() + "): " + e.getMessage());
            cgroup.ifPresent(MemoryLimits.Cgroup::remove);
            cell.deleteFiles();
            startEnded(key, null);
        }
    }

    /** A start finished: the cell (or null when it failed) joins its pool, unless the pool closed meanwhile. */
    private void startEnded(Key key, StemCell cell) {
        boolean release = false;
        lock.lock();
        try {
            Pool pool = pools.computeIfAbsent(key, k -> new Pool());
            pool.starting--;
            if (cell != null) {
                started++;
                if (closed) {
                    release = true;
                } else {
                    pool.idle.addLast(cell);
                    unbound.add(cell);
                }
            }
        } finally {
            lock.unlock();
        }
        if (release) {
            cell.release();
        }
    }

    /** A cell's process ended: bound or not, its directory goes; an unbound one leaves its pool. */
    private void exited(StemCell cell) {
        boolean wasUnbound;
        lock.lock();
        try {
            wasUnbound = unbound.remove(cell);
            Pool pool = pools.get(cell.key);
            if (pool != null) {
                pool.idle.remove(cell);
            }
        } finally {
            lock.unlock();
        }
        if (!cell.claimed() || cell.released()) {
            // Never an environment's (or given up before it became one): its cgroup is the pool's to remove.
            cell.cgroup().ifPresent(MemoryLimits.Cgroup::remove);
            if (wasUnbound && !cell.released()) {
                LOG.warning("stem cell " + cell.id + " (" + cell.key.label() + ") ended before it was bound: "
                        + cell.outputTail().strip());
            }
        }
        cell.deleteFiles();
    }

    /**
     * Ends cells idle longer than {@code idleNanos} or older than {@code lifetimeNanos}; each pool's target shrinks
     * to the cells it keeps.
     */
    void reap(long now, long idleNanos, long lifetimeNanos) {
        List<StemCell> expired = new ArrayList<>();
        lock.lock();
        try {
            for (Pool pool : pools.values()) {
                for (Iterator<StemCell> it = pool.idle.iterator(); it.hasNext(); ) {
                    StemCell cell = it.next();
                    long age = now - cell.startedNanos;
                    if (age > idleNanos || age > lifetimeNanos || !cell.alive()) {
                        it.remove();
                        unbound.remove(cell);
                        expired.add(cell);
                    }
                }
                pool.target = Math.min(pool.target, pool.idle.size() + pool.starting);
            }
            pools.values().removeIf(p -> p.target == 0 && p.idle.isEmpty() && p.starting == 0);
        } finally {
            lock.unlock();
        }
        expired.forEach(StemCell::release);
    }

    Counts counts() {
        lock.lock();
        try {
            return new Counts(idleLocked(), startingLocked(), bound, started);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The pool of stem cells on one line: totals ({@code ready=} warm and waiting, {@code idle=} waiting, warm or
     * not, {@code starting=}, {@code bound=} and {@code started=} since start), then each key's idle cells and
     * target.
     */
    String describe() {
        lock.lock();
        try {
            StringBuilder line = new StringBuilder("stem cells: ready=")
                    .append(pools.values().stream().flatMap(p -> p.idle.stream()).filter(StemCell::ready).count())
                    .append(", idle=").append(idleLocked())
                    .append(", starting=").append(startingLocked())
                    .append(", bound=").append(bound)
                    .append(", started=").append(started);
            pools.forEach((key, pool) -> line.append("; ").append(key.label()).append(": idle=")
                    .append(pool.idle.size()).append(", target=").append(pool.target));
            return line.toString();
        } finally {
            lock.unlock();
        }
    }

    /** Ends every unbound cell; none starts any more. Bound cells are environments: the engine ends them. */
    @Override
    public void close() {
        List<StemCell> cells;
        lock.lock();
        try {
            closed = true;
            cells = new ArrayList<>(unbound);
            unbound.clear();
            pools.values().forEach(p -> p.idle.clear());
        } finally {
            lock.unlock();
        }
        cells.forEach(StemCell::release);
    }

    /**
     * Waits, at most {@code timeout}, until every cell whose process was ended has had its files removed: a server
     * that has stopped leaves nothing being deleted behind it. Called once every process is being ended.
     */
    public void awaitCleanups(Duration timeout) {
        try {
            CompletableFuture.allOf(cleanups.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "stem cells: a clean-up failed at close", e.getCause());
        } catch (TimeoutException e) {
            LOG.warning("stem cells: clean-up still running after " + timeout.toMillis() + " ms at close");
        }
    }
}
