package dev.thunk.engine;

import dev.thunk.core.Alias;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionState;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.ProvisionedConcurrencyStore;
import dev.thunk.core.access.TemporaryCredentials;
import dev.thunk.core.control.FunctionListener;
import dev.thunk.core.control.FunctionService;
import dev.thunk.core.control.ProvisionedEnvironments;
import dev.thunk.core.control.ProvisionedState;
import dev.thunk.core.invoke.InvocationResult;
import dev.thunk.core.invoke.InvokeRequest;
import dev.thunk.core.invoke.Invoker;
import dev.thunk.core.invoke.ResponseObserver;
import dev.thunk.engine.launch.CodeUnpacker;
import dev.thunk.engine.launch.InvalidEntrypointException;
import dev.thunk.engine.launch.LaunchSpec;
import dev.thunk.engine.launch.LayerAssembler;
import dev.thunk.engine.launch.MemoryLimits;
import dev.thunk.engine.launch.ProcessLauncher;
import dev.thunk.engine.launch.RuntimeCommand;
import dev.thunk.engine.logs.LogStore;
import dev.thunk.engine.logs.LogStream;
import dev.thunk.engine.runtimeapi.RuntimeApiServer;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs invocations in execution environments. Admits each invocation against the concurrency limit, routes it to
 * the pool of its function's current configuration, and starts environments for pools on virtual threads.
 * Listens to the control plane: a changed function's {@code $LATEST} environments, a deleted version's and a
 * deleted function's environments are retired (published versions are immutable, so the environments of those
 * that remain stay valid). Keeps the
 * environments of provisioned concurrency configurations running ({@link Provisioner}); {@link #startProvisioned}
 * starts those stored when the server starts. An on-demand cold start of a Python, Node.js or Java function binds
 * a {@link StemCells stem cell} when one is ready, instead of starting a process. One housekeeping task ends
 * environments idle longer than the keep-alive, and stem cells too. Thread-safe.
 */
public final class Engine implements Invoker, FunctionListener, ProvisionedEnvironments, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    private final Vertx vertx;
    private final EngineConfig config;
    private final FunctionCache functions;
    private final CodeUnpacker unpacker;
    private final RuntimeCommand commands;
    private final ProcessLauncher launcher;
    private final LogStore logs;
    private final LayerAssembler layers;
    private final MemoryLimits memoryLimits;
    private final PoolRegistry pools;
    private final Admission admission;
    private final ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor();
    private final Provisioner provisioner;
    private final Optional<StemCells> cells;
    private final long housekeeping;
    private final TemporaryCredentials credentials;
    /** Where the Lambda API listens; empty when the engine closed before it was known. */
    private final CompletableFuture<Optional<String>> lambdaEndpoint = new CompletableFuture<>();
    /** Set first when closing: ended environments are not replaced any more. */
    private volatile boolean closing;

    /** {@code credentials} issues each environment's; the server's request signing accepts them. */
    public Engine(Vertx vertx, EngineConfig config, FunctionStore store, ProvisionedConcurrencyStore provisioned,
                  CodeUnpacker unpacker, RuntimeCommand commands, ProcessLauncher launcher, LogStore logs,
                  LayerAssembler layers, MemoryLimits memoryLimits, TemporaryCredentials credentials) {
        this.credentials = credentials;
        this.vertx = vertx;
        this.config = config;
        this.functions = new FunctionCache(store);
        this.unpacker = unpacker;
        this.commands = commands;
        this.launcher = launcher;
        this.logs = logs;
        this.layers = layers;
        this.memoryLimits = memoryLimits;
        this.pools = new PoolRegistry(f -> new FunctionPool(f, this::startEnvironment, !config.keepAlive().isZero()));
        this.admission = new Admission(config.concurrencyLimit(), store.reservedConcurrencies());
        this.provisioner = new Provisioner(provisioned, functions, pools::poolOf, admission);
        this.cells = config.stemCells().map(dir -> new StemCells(dir, launcher, memoryLimits, starts,
                cell -> EnvironmentVariables.ofStemCell(cell.id, cell.taskRoot(), cell.optRoot())));
        long period = Math.max(100, Math.min(10_000, config.keepAlive().toMillis() / 4));
        this.housekeeping = vertx.setPeriodic(period, ignored -> reapIdle());
    }

    @Override
    public CompletableFuture<InvocationResult> invoke(InvokeRequest request) {
        return resolve(request).thenCompose(resolved -> admit(request, resolved, Optional.empty()));
    }

    @Override
    public CompletableFuture<InvocationResult> invokeStreaming(InvokeRequest request, ResponseObserver observer) {
        return resolve(request).thenCompose(resolved -> admit(request, resolved, Optional.of(observer)));
    }

    @Override
    public CompletableFuture<Void> dryRun(InvokeRequest request) {
        return resolve(request).thenApply(resolved -> null);
    }

    private CompletableFuture<InvocationResult> admit(InvokeRequest request, Resolved resolved,
                                                     Optional<ResponseObserver> observer) {
        Runnable release = admission.admit(resolved.function.name(), resolved.function.version());
        Invocation invocation = new Invocation(request.requestId(), resolved.function, resolved.invokedArn,
                request.payload(), request.clientContext(), request.tailLog(), observer);
        invocation.result.whenComplete((result, error) -> release.run());
        pools.poolOf(resolved.function).submit(invocation);
        return invocation.result;
    }

    private record Resolved(FunctionVersion function, String invokedArn) {
    }

    /**
     * Finds the function version to run: {@code $LATEST}, a published version, or the version an alias routes this
     * invocation to (by its weights). From the cache on the caller's thread (the event loop); on a miss, from the
     * store on a virtual thread, so the caller never blocks.
     */
    private CompletableFuture<Resolved> resolve(InvokeRequest request) {
        FunctionRef ref = FunctionRef.parse(request.functionName(), config.account());
        Optional<String> qualifier = ref.qualifiedBy(request.qualifier());
        String arn = qualifier.map(q -> config.account().functionArn(ref.name(), q))
                .orElse(config.account().functionArn(ref.name()));
        String wanted = qualifier.orElse(FunctionVersion.LATEST);
        if (FunctionService.versionNumber(wanted).isEmpty() && !wanted.equals(FunctionVersion.LATEST)) {
            Optional<Alias> alias = functions.cachedAlias(ref.name(), wanted);
            if (alias.isEmpty()) {
                return CompletableFuture.supplyAsync(() -> functions.alias(ref.name(), wanted), starts)
                        .thenCompose(loaded -> viaAlias(ref, arn, loaded));
            }
            return viaAlias(ref, arn, alias);
        }
        return version(ref, wanted, arn);
    }

    private CompletableFuture<Resolved> viaAlias(FunctionRef ref, String arn, Optional<Alias> alias) {
        Alias found = alias.orElseThrow(() -> LambdaException.functionNotFound(arn));
        return version(ref, found.route(ThreadLocalRandom.current().nextDouble()), arn);
    }

    private CompletableFuture<Resolved> version(FunctionRef ref, String version, String invokedArn) {
        if (version.equals(FunctionVersion.LATEST)) {
            Optional<FunctionVersion> cached = functions.cached(ref.name());
            return cached.isPresent()
                    ? CompletableFuture.completedFuture(check(cached, invokedArn))
                    : CompletableFuture.supplyAsync(() -> check(functions.get(ref.name()), invokedArn), starts);
        }
        Optional<Integer> number = FunctionService.versionNumber(version);
        if (number.isEmpty()) {
            return CompletableFuture.completedFuture(check(Optional.empty(), invokedArn));
        }
        Optional<FunctionVersion> cached = functions.cachedVersion(ref.name(), number.get());
        return cached.isPresent()
                ? CompletableFuture.completedFuture(check(cached, invokedArn))
                : CompletableFuture.supplyAsync(() -> check(functions.version(ref.name(), number.get()), invokedArn),
                        starts);
    }

    private Resolved check(Optional<FunctionVersion> found, String arn) {
        return new Resolved(invocable(found, arn), arn);
    }

    /** The version found, if it exists and is Active: AWS refuses to invoke a Pending or Failed one with a 409. */
    static FunctionVersion invocable(Optional<FunctionVersion> found, String arn) {
        FunctionVersion function = found.orElseThrow(() -> LambdaException.functionNotFound(arn));
        FunctionState state = function.status().state();
        if (state != FunctionState.Active) {
            throw LambdaException.conflict("The operation cannot be performed at this time. "
                    + "The function is currently in the following state: " + state);
        }
        return function;
    }

    /**
     * Starts one environment for {@code pool} on a virtual thread, on demand or for a provisioned concurrency
     * configuration; a failure fails one waiting invocation.
     */
    private void startEnvironment(FunctionPool pool, Optional<String> provisionedFor) {
        if (closing) {
            return;
        }
        try {
            starts.execute(() -> launch(pool, provisionedFor));
        } catch (RejectedExecutionException e) {
            // The engine closed meanwhile: nothing is started any more.
        }
    }

    private void launch(FunctionPool pool, Optional<String> provisionedFor) {
        FunctionVersion f = pool.function;
        // Provisioned environments start ahead of need anyway: cells are for cold starts that someone waits on.
        Optional<StemCells.Key> cellKey = provisionedFor.isEmpty() ? cellKey(f) : Optional.empty();
        Optional<StemCell> cell = cellKey.flatMap(key -> cells.orElseThrow().take(key));
        if (cell.isPresent()) {
            Optional<Environment> bound = bind(pool, cell.get());
            if (bound.isPresent()) {
                replenishAfterInit(bound.get(), cellKey.get());
                return;
            }
        }
        String id = Environment.newId();
        Environment environment = null;
        RuntimeApiServer api = null;
        Optional<MemoryLimits.Cgroup> cgroup = Optional.empty();
        try {
            Path taskRoot = unpacker.unpacked(f.code().blobId());
            Path optRoot = layers.assembled(f.config().layers());
            LogStream log = logs.open(f.name(), f.version(), id, Instant.now());
            environment = new Environment(id, provisionedFor, pool, log, vertx);
            pool.register(environment);
            api = RuntimeApiServer.start(vertx, environment).await();
            cgroup = memoryLimits.create(id, f.config().memorySize());
            LaunchSpec spec = new LaunchSpec(id, commands.command(f.config(), taskRoot, optRoot),
                    environmentOf(f, environment, log.name(), api.port(), taskRoot, optRoot,
                            provisionedFor.isPresent()),
                    taskRoot, optRoot, f.config().ephemeralStorage(), log.file(), cgroup);
            Process process = launcher.start(spec).join();
            environment.attach(process, api, cgroup);
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            cgroup.ifPresent(MemoryLimits.Cgroup::remove);
            startFailed(pool, environment, provisionedFor, e);
            return;
        }
        Environment started = environment;
        cellKey.ifPresent(key -> replenishAfterInit(started, key));
    }

    /**
     * The environment variables of a new environment, with temporary credentials of its own, revoked when it ends.
     * Runs on a launch thread: an environment that starts before the control plane listens (a provisioned one, or
     * one for a queued event, at server start) waits until the Lambda API's address is known.
     */
    private Map<String, String> environmentOf(FunctionVersion f, Environment environment, String logStream,
                                              int runtimeApiPort, Path taskRoot, Path optRoot, boolean provisioned) {
        Map<String, String> env = EnvironmentVariables.of(f, config.account(), logStream, runtimeApiPort, taskRoot,
                commands.runtimeDir(f.config(), taskRoot), optRoot, provisioned);
        TemporaryCredentials.Issued issued = credentials.issue(config.account().accountId());
        environment.ended().thenRun(() -> credentials.revoke(issued.key().accessKeyId()));
        EnvironmentVariables.addAccess(env, issued, awaitLambdaEndpoint());
        return env;
    }

    private Optional<String> awaitLambdaEndpoint() {
        try {
            return lambdaEndpoint.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "the Lambda API's address is still unknown after 30 s: this environment starts "
                    + "without AWS_ENDPOINT_URL_LAMBDA");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Where Thunk's Lambda API listens ({@code http://host:port}), for the functions' AWS SDKs: known once the
     * control plane listens. Environments that start earlier wait for it.
     */
    public void lambdaEndpoint(String url) {
        lambdaEndpoint.complete(Optional.of(url));
    }

    /**
     * An environment could not be started: one waiting invocation fails with the reason, logged in the
     * environment's log stream when it had one by then.
     */
    private void startFailed(FunctionPool pool, Environment environment, Optional<String> provisionedFor,
                             RuntimeException e) {
        FunctionVersion f = pool.function;
        // A package without a usable bootstrap is the function's fault, reported to its caller and in its log.
        LOG.log(e instanceof InvalidEntrypointException ? Level.FINE : Level.WARNING,
                "cannot start an environment for " + f.name() + ": " + e.getMessage());
        Optional<Invocation> victim = Optional.ofNullable(pool.launchFailed(environment, provisionedFor));
        String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        Optional<InvocationResult> result = Optional.empty();
        try {
            if (environment != null) {
                result = environment.launchFailed(victim, reason);
            }
        } finally {
            // Whatever happened above, the caller gets an answer and the pool goes on.
            Optional<InvocationResult> logged = result;
            victim.ifPresent(v -> v.result.complete(logged.orElseGet(() -> Environment.startFailure(v, reason))));
            pool.afterExit();
        }
    }

    /**
     * The stem cells a function's environment can be bound from: by the runtime's command (interpreter or JDK, and
     * the JVM's heap), the memory limit and the size of {@code /tmp}. Empty without stem cells, for custom
     * runtimes, and for functions with a variable that only takes effect when a process starts.
     */
    private Optional<StemCells.Key> cellKey(FunctionVersion f) {
        if (cells.isEmpty() || f.config().environment().keySet().stream().anyMatch(EnvironmentVariables::readAtStart)) {
            return Optional.empty();
        }
        try {
            return commands.stemCellCommand(f.config()).map(command -> new StemCells.Key(command,
                    f.config().memorySize(), f.config().ephemeralStorage()));
        } catch (RuntimeException e) {
            return Optional.empty(); // the runtime cannot run here: the ordinary start says why
        }
    }

    /**
     * Binds a stem cell to {@code pool}'s function as a new environment: fills its code and layer directories,
     * makes its output file the environment's log stream, starts its Runtime API and hands it the function's
     * environment. The init (and its Init Duration) runs from here to the cell's first {@code /next}. Returns the
     * environment, or empty, having released the cell, when it cannot be bound before it joins the pool: the
     * caller starts a process instead.
     */
    private Optional<Environment> bind(FunctionPool pool, StemCell cell) {
        FunctionVersion f = pool.function;
        LogStream log;
        try {
            if (!cell.alive()) {
                throw new IllegalStateException("its process ended");
            }
            cell.populate(unpacker.unpacked(f.code().blobId()), layers.assembled(f.config().layers()));
            String unexpected = cell.unexpectedOutput();
            if (!unexpected.isEmpty()) {
                LOG.log(Level.WARNING, "stem cell " + cell.id + " printed this while warming up; it is bound to "
                        + f.name() + " all the same, without it in the function's log: " + unexpected);
            }
            log = logs.adopt(f.name(), f.version(), cell.id, Instant.now(), cell.output());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot bind stem cell " + cell.id + " to " + f.name() + ": " + e.getMessage()
                    + "; starting a process instead");
            cell.release();
            return Optional.empty();
        }
        Environment environment = new Environment(cell.id, Optional.empty(), pool, log, vertx);
        RuntimeApiServer api = null;
        try {
            pool.register(environment);
            api = RuntimeApiServer.start(vertx, environment).await();
            cell.bind(environmentOf(f, environment, log.name(), api.port(), cell.taskRoot(), cell.optRoot(), false));
            environment.attach(cell.process(), api, cell.cgroup());
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            cell.release();
            startFailed(pool, environment, Optional.empty(), e);
        }
        return Optional.of(environment);
    }

    /**
     * Once {@code environment}, a cold start that could use a stem cell of {@code key}, has finished its init,
     * tops that kind's cells up: a new cell then does not compete for the cores with the cold start it follows.
     */
    private void replenishAfterInit(Environment environment, StemCells.Key key) {
        environment.initEnded().thenRun(() -> {
            if (!closing) {
                cells.orElseThrow().replenish(key);
            }
        });
    }

    @Override
    public void changed(String functionName) {
        functions.invalidate(functionName);
        pools.retire(functionName, Optional.of(FunctionVersion.LATEST), System.nanoTime());
    }

    /** An alias may route elsewhere now, or a version is gone: provisioned environments follow. */
    @Override
    public void qualifiersChanged(String functionName) {
        functions.invalidate(functionName);
        reconcileQuietly(functionName);
    }

    @Override
    public void versionDeleted(String functionName, String version) {
        functions.invalidate(functionName);
        pools.retire(functionName, Optional.of(version), System.nanoTime());
        reconcileQuietly(functionName);
    }

    @Override
    public void deleted(String functionName) {
        functions.invalidate(functionName);
        pools.retire(functionName, Optional.empty(), System.nanoTime());
        reconcileQuietly(functionName);
    }

    @Override
    public void provisionedChanged(String functionName) {
        provisioner.reconcile(functionName);
    }

    @Override
    public ProvisionedState state(String functionName, String qualifier) {
        return provisioner.state(functionName, qualifier);
    }

    /** Starts the environments of every stored provisioned concurrency configuration, in the background. */
    public void startProvisioned() {
        starts.execute(() -> {
            try {
                provisioner.reconcileAll();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot start provisioned environments: " + e.getMessage(), e);
            }
        });
    }

    /** After a change already committed: a failure here is logged, not answered to the caller of that change. */
    private void reconcileQuietly(String functionName) {
        try {
            provisioner.reconcile(functionName);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot adjust provisioned environments of " + functionName + ": "
                    + e.getMessage(), e);
        }
    }

    /** The one housekeeping task: ends environments idle past the keep-alive or older than their lifetime. */
    private void reapIdle() {
        long now = System.nanoTime();
        long keepAlive = config.keepAlive().toNanos();
        long maxLifetime = config.maxLifetime().toNanos();
        starts.execute(() -> {
            pools.live().forEach(pool -> pool.reap(now, keepAlive, maxLifetime));
            cells.ifPresent(c -> c.reap(now, config.stemCellIdle().toNanos(), maxLifetime));
            pools.forget(now);
        });
    }

    @Override
    public void concurrencyChanged(String functionName, java.util.OptionalInt reserved) {
        admission.reservationChanged(functionName, reserved);
    }

    /**
     * Every pool, one line each ({@code function=, version=, total=, idle=...}), for tests and metrics; then, with
     * stem cells, one line starting {@code stem cells:} with their counts ({@code ready=, idle=, starting=, bound=,
     * started=}, then per kind).
     */
    public List<String> describe() {
        List<String> lines = new java.util.ArrayList<>(pools.live().stream().map(FunctionPool::describe).toList());
        cells.ifPresent(c -> lines.add(c.describe()));
        return lines;
    }

    /** One line for the start-up report. */
    public String describeStemCells() {
        return cells.map(c -> "stem cells: Python, Node.js and Java processes started ahead of need and bound at a "
                + "cold start; up to " + StemCells.PER_KEY + " per runtime and memory size, " + StemCells.TOTAL
                + " in all, ended after " + config.stemCellIdle().toSeconds() + " s unused")
                .orElse("stem cells: off (every cold start starts a process)");
    }

    /** Ends every environment and waits (briefly) for their processes to be gone. */
    @Override
    public void close() {
        closing = true;
        lambdaEndpoint.complete(Optional.empty()); // a launch waiting for it goes on
        vertx.cancelTimer(housekeeping);
        cells.ifPresent(StemCells::close);
        pools.all().flatMap(p -> p.snapshot().stream()).forEach(Environment::destroy);
        starts.shutdown();
        try {
            starts.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Environments that were still starting registered themselves meanwhile.
        pools.all().flatMap(p -> p.snapshot().stream()).forEach(Environment::destroy);
        for (FunctionPool pool : pools.all().toList()) {
            for (Invocation waiting : pool.drainPending()) {
                waiting.result.complete(new InvocationResult.Failure(waiting.requestId, waiting.function.version(),
                        "Runtime.Unavailable", PlatformErrors.payload("Runtime.Unavailable",
                        "RequestId: " + waiting.requestId + " Error: the server is stopping"), Optional.empty()));
            }
        }
        launcher.close();
        cells.ifPresent(c -> c.awaitCleanups(java.time.Duration.ofSeconds(5)));
    }
}
