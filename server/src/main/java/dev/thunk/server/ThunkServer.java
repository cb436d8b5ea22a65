package dev.thunk.server;

import dev.thunk.api.CodeLinks;
import dev.thunk.api.ControlPlane;
import dev.thunk.api.sigv4.Authenticator;
import dev.thunk.api.sigv4.Presigner;
import dev.thunk.core.CodeStore;
import dev.thunk.core.access.AccessKey;
import dev.thunk.core.access.AccessKeys;
import dev.thunk.core.access.PolicyService;
import dev.thunk.core.access.TemporaryCredentials;
import dev.thunk.core.async.AsyncInvoker;
import dev.thunk.core.async.Destinations;
import dev.thunk.core.async.EventInvokeConfigService;
import dev.thunk.core.control.AliasService;
import dev.thunk.core.control.ConcurrencyService;
import dev.thunk.core.control.FunctionService;
import dev.thunk.core.control.LayerService;
import dev.thunk.core.control.ProvisionedConcurrencyService;
import dev.thunk.core.control.StoredPackages;
import dev.thunk.core.control.VersionService;
import dev.thunk.engine.Engine;
import dev.thunk.engine.EngineConfig;
import dev.thunk.engine.async.AsyncDispatcher;
import dev.thunk.engine.async.AsyncSettings;
import dev.thunk.engine.async.EventInvokeConfigs;
import dev.thunk.engine.launch.CodeUnpacker;
import dev.thunk.engine.launch.JavaArchives;
import dev.thunk.engine.launch.LayerAssembler;
import dev.thunk.engine.launch.MemoryLimits;
import dev.thunk.engine.launch.ProcessLauncher;
import dev.thunk.engine.launch.RuntimeCatalog;
import dev.thunk.engine.launch.RuntimeClients;
import dev.thunk.engine.launch.RuntimeCommand;
import dev.thunk.engine.launch.Sandbox;
import dev.thunk.engine.launch.TaskLimits;
import dev.thunk.engine.logs.FileFunctionLogs;
import dev.thunk.engine.logs.LogStore;
import dev.thunk.events.SqsDestinations;
import dev.thunk.store.FileCodeStore;
import dev.thunk.store.SecretBox;
import dev.thunk.store.SqliteAccessKeyStore;
import dev.thunk.store.SqliteDatabase;
import dev.thunk.store.SqliteEventInvokeConfigs;
import dev.thunk.store.SqliteEventQueue;
import dev.thunk.store.SqliteFunctionStore;
import dev.thunk.store.SqliteLayerStore;
import dev.thunk.store.SqliteProvisionedConcurrency;
import dev.thunk.store.SqlitePolicyStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running Thunk: the one place that knows the concrete classes and wires them. {@link #start} returns once the
 * control plane listens; {@link #close} ends every environment, stops listening and releases the data directory.
 * Not restartable: start a new one.
 */
public final class ThunkServer implements AutoCloseable {
    private final ServerConfig config;
    private final List<AutoCloseable> closeInOrder;
    private final HttpServer http;
    private final RuntimeCatalog catalog;
    private final Sandbox sandbox;
    private final MemoryLimits memoryLimits;
    private final TaskLimits taskLimits;
    private final Engine engine;
    private final AsyncDispatcher dispatcher;
    private final AccessKeys keys;
    private final Path credentialsFile;

    private ThunkServer(ServerConfig config, List<AutoCloseable> closeInOrder, HttpServer http,
                       RuntimeCatalog catalog, Sandbox sandbox, MemoryLimits memoryLimits, TaskLimits taskLimits,
                       Engine engine, AsyncDispatcher dispatcher, AccessKeys keys, Path credentialsFile) {
        this.config = config;
        this.closeInOrder = closeInOrder;
        this.http = http;
        this.catalog = catalog;
        this.sandbox = sandbox;
        this.memoryLimits = memoryLimits;
        this.taskLimits = taskLimits;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.keys = keys;
        this.credentialsFile = credentialsFile;
    }

    public static ThunkServer start(ServerConfig config) {
        DataDirectory dataDir = DataDirectory.open(config.dataDir());
        // Filled as parts start; closed in reverse on failure or stop.
        List<AutoCloseable> started = new ArrayList<>();
        started.add(dataDir);
        try {
            Files.createDirectories(dataDir.opt());
            SqliteDatabase database = SqliteDatabase.open(dataDir.database());
            SecretBox secrets = SecretBox.openOrCreate(dataDir.secretKey());
            SqliteFunctionStore store = new SqliteFunctionStore(database, secrets);
            started.add(store);
            SqliteEventQueue eventQueue = new SqliteEventQueue(database);
            started.add(eventQueue);
            SqliteLayerStore layerStore = new SqliteLayerStore(database);
            SqliteProvisionedConcurrency provisionedStore = new SqliteProvisionedConcurrency(database);
            ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
            started.add(background::close);
            Vertx vertx = newVertx();
            started.add(() -> vertx.close().await());
            CodeStore code = new FileCodeStore(dataDir.code());
            StoredPackages packages = new StoredPackages(code,
                    List.of(store::codeReferences, layerStore::codeReferences));

            RuntimeCatalog catalog = RuntimeCatalog.detect();
            Sandbox sandbox = Sandbox.detect(dataDir.root(), dataDir.runtimes(),
                    config.launch().bubblewrap());
            TaskLimits taskLimits = TaskLimits.detect();
            started.add(taskLimits);
            RuntimeClients clients = RuntimeClientFiles.install(dataDir.runtimes());
            JavaArchives archives = config.javaArchives()
                    ? JavaArchives.create(dataDir.runtimes().resolve("java-archives"), catalog, clients.javaClassPath())
                    : JavaArchives.disabled();
            started.add(archives);
            archives.startBuilding();
            RuntimeCommand commands = new RuntimeCommand(catalog, clients, archives);
            LogStore logs = new LogStore(dataDir.logs());
            MemoryLimits memoryLimits = MemoryLimits.detect();
            started.add(memoryLimits);
            // The environments' credentials: they last as long as an environment can, and an hour more.
            TemporaryCredentials temporary = new TemporaryCredentials(Clock.systemUTC(),
                    config.maxLifetime().plusHours(1));
            Engine engine = new Engine(vertx,
                    new EngineConfig(config.account(), config.concurrencyLimit(), config.keepAlive(),
                            config.maxLifetime(), config.launch().stemCells()
                                    ? Optional.of(dataDir.cells()) : Optional.empty()),
                    store, provisionedStore,
                    new CodeUnpacker(code, dataDir.unpacked(), FunctionService.MAX_UNZIPPED_SIZE),
                    commands, new ProcessLauncher(sandbox, taskLimits), logs,
                    new LayerAssembler(code, dataDir.opt(), FunctionService.MAX_UNZIPPED_SIZE), memoryLimits,
                    temporary);

            LayerService layers = new LayerService(config.account(), layerStore, packages, Clock.systemUTC());
            FunctionService functions = new FunctionService(config.account(), store, packages, layers, catalog,
                    Clock.systemUTC(), background, engine);
            ConcurrencyService concurrency = new ConcurrencyService(config.account(), store, provisionedStore,
                    config.concurrencyLimit(), engine);
            ProvisionedConcurrencyService provisioned = new ProvisionedConcurrencyService(config.account(), store,
                    provisionedStore, engine, config.concurrencyLimit(), Clock.systemUTC());
            VersionService versions = new VersionService(config.account(), store, Clock.systemUTC());
            AliasService aliases = new AliasService(config.account(), store, engine);
            SqliteEventInvokeConfigs eventConfigStore = new SqliteEventInvokeConfigs(database);
            ServerConfig.AsyncOptions async = config.async();
            Destinations destinations = async.sqsEndpoint()
                    .<Destinations>map(endpoint -> new SqsDestinations(endpoint, config.account().region()))
                    .orElse(Destinations.none());
            if (destinations instanceof SqsDestinations sqs) {
                started.add(sqs);
            }
            AsyncDispatcher dispatcher = new AsyncDispatcher(config.account(), engine, eventQueue,
                    new EventInvokeConfigs(eventConfigStore, async.clock(), 1_000), store, destinations,
                    new AsyncSettings(async.retryBaseDelay(), async.maxInFlight(), async.clock()));
            EventInvokeConfigService eventConfigs = new EventInvokeConfigService(config.account(), store,
                    eventConfigStore, Clock.systemUTC(), async.sqsEndpoint().isPresent());
            List<String> accounts = new ArrayList<>(List.of(config.account().accountId()));
            accounts.addAll(config.access().otherAccounts());
            AccessKeys keys = AccountKeys.ensure(new SqliteAccessKeyStore(database, secrets), accounts);
            CredentialsFile.write(dataDir.credentials(), config.account().accountId(), keys);
            ControlPlane controlPlane = ControlPlane.create(functions, versions, aliases, concurrency, provisioned, layers,
                    eventConfigs, code, engine, dispatcher, new FileFunctionLogs(logs),
                    access(config, keys, temporary,
                            new PolicyService(config.account(), store, new SqlitePolicyStore(database))),
                    List.of());
            started.add(controlPlane::close);
            // Closed before the control plane's operations: ending the environments ends the invocations they wait on.
            started.add(engine);
            // Closed before the engine: events still running when the engine ends them stay queued for the next start.
            started.add(dispatcher);
            dispatcher.start();
            engine.startProvisioned();
            HttpServer http = controlPlane.listen(vertx, config.host(), config.port()).await();
            started.add(() -> http.close().await());
            // Environments that started meanwhile waited for this before their process started.
            engine.lambdaEndpoint(endpointOf(config.host(), http.actualPort()));
            return new ThunkServer(config, List.copyOf(started.reversed()), http, catalog, sandbox, memoryLimits,
                    taskLimits, engine, dispatcher, keys, dataDir.credentials());
        } catch (IOException e) {
            closeAll(started.reversed());
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeAll(started.reversed());
            throw e;
        }
    }

    /** The URL a process on this machine reaches the control plane at: loopback when it listens on every address. */
    static String endpointOf(String host, int port) {
        String reachable = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (reachable.contains(":") ? "[" + reachable + "]" : reachable) + ":" + port;
    }

    /**
     * SigV4 over the stored keys and the environments' temporary credentials, package links presigned with the own
     * account's key; or no checks at all.
     */
    private static ControlPlane.Access access(ServerConfig config, AccessKeys keys, TemporaryCredentials temporary,
                                              PolicyService policies) {
        if (!config.access().verifySignatures()) {
            return new ControlPlane.Access(Authenticator.disabled(config.account()), policies, CodeLinks.plain());
        }
        AccessKey own = keys.first(config.account().accountId()).orElseThrow();
        return new ControlPlane.Access(Authenticator.sigV4(config.account(), keys, temporary, Clock.systemUTC()),
                policies,
                CodeLinks.presigned(Presigner.create(own, config.account().region(), Clock.systemUTC())));
    }

    /** The key pair of the server's own account: the one profile {@code thunk} of {@link #credentialsFile} holds. */
    public AccessKey ownKey() {
        return keys.first(config.account().accountId()).orElseThrow();
    }

    /** The AWS shared-credentials file with every account's key pair. */
    public Path credentialsFile() {
        return credentialsFile;
    }

    /**
     * A Vert.x instance as the server runs its own: {@link #eventLoops()} loops on the NIO transport, busy-polling for
     * {@link #busyPollMicros()} before they block. Public so that the benchmarks' loopback floor runs on the same.
     */
    public static Vertx newVertx() {
        return Vertx.builder().with(new io.vertx.core.VertxOptions().setEventLoopPoolSize(eventLoops()))
                .withTransport(new BusyPollingTransport(busyPollMicros())).build();
    }

    /**
     * How many Vert.x event loops serve the control plane and every Runtime API: half the cores (at least one),
     * or {@code -Dthunk.eventLoops=N}. An invocation is two HTTP exchanges, the caller's and the runtime's; when their
     * connections sit on different loops, the answer crosses threads twice. On 2 cores, one loop against Vert.x's
     * default four, four paired bench runs: no-op throughput 5 to 25 % higher on average, warm latency within the
     * noise (docs/benchmarks.md); and the function processes need the other cores anyway.
     */
    static int eventLoops() {
        return Integer.getInteger("thunk.eventLoops", Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * How long an event loop keeps polling after its last piece of work before it blocks: 200 µs, or
     * {@code -Dthunk.busyPollMicros=N} (0: never). Long enough for a runtime to run a small handler and answer, so the
     * answer finds the loop awake (see {@link BusyPollingTransport}); measured side by side with
     * bench/pair.sh (docs/benchmarks.md).
     */
    static long busyPollMicros() {
        return Math.max(0, Long.getLong("thunk.busyPollMicros", 200));
    }

    /** The port the control plane listens on (useful when the configuration asked for port 0). */
    public int port() {
        return http.actualPort();
    }

    public String endpoint() {
        return "http://" + config.host() + ":" + port();
    }

    public ServerConfig config() {
        return config;
    }

    public Engine engine() {
        return engine;
    }

    /** The asynchronous path: its counters are what {@code GET /thunk/async} answers. */
    public AsyncInvoker async() {
        return dispatcher;
    }

    /** What this server can run and how it isolates environments, one line each, for the start-up report. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>(catalog.describe());
        lines.add(config.access().verifySignatures()
                ? "request signing: AWS SigV4 required; keys in " + credentialsFile + " (profile "
                        + CredentialsFile.PROFILE + config.access().otherAccounts().stream()
                                .map(id -> ", " + CredentialsFile.profileOf(id)).reduce("", String::concat) + ")"
                : "request signing: OFF (--no-auth): anyone who can reach the port acts as account "
                        + config.account().accountId());
        lines.add("sandbox: " + sandbox.describe());
        lines.add(memoryLimits.describe());
        lines.add(taskLimits.describe());
        lines.add(engine.describeStemCells());
        long poll = busyPollMicros();
        lines.add("event loops: " + eventLoops() + (poll > 0 ? ", each polling " + poll + " µs after its last work before"
                + " it blocks (-Dthunk.busyPollMicros)" : ", blocking as soon as idle (-Dthunk.busyPollMicros=0)"));
        ServerConfig.AsyncOptions async = config.async();
        lines.add("async events: durable queue in the data directory, first retry after "
                + async.retryBaseDelay().toMillis() / 1000.0 + " s, " + async.maxInFlight() + " at once; "
                + async.sqsEndpoint().map(uri -> "SQS destinations via " + uri)
                        .orElse("no SQS endpoint (queue destinations refused; --sqs-endpoint URL)"));
        return lines;
    }

    @Override
    public void close() {
        closeAll(closeInOrder);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping Thunk failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
