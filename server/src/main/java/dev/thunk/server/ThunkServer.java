package dev.thunk.server;

import dev.thunk.api.ControlPlane;
import dev.thunk.core.CodeStore;
import dev.thunk.core.RuntimeAvailability;
import dev.thunk.core.control.FunctionListener;
import dev.thunk.core.control.FunctionService;
import dev.thunk.store.FileCodeStore;
import dev.thunk.store.SqliteDatabase;
import dev.thunk.store.SqliteFunctionStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running Thunk: the one place that knows the concrete classes and wires them. {@link #start} returns once the
 * control plane listens; {@link #close} stops it and releases the data directory. Not restartable: start a new one.
 */
public final class ThunkServer implements AutoCloseable {
    private final ServerConfig config;
    private final DataDirectory dataDir;
    private final SqliteFunctionStore store;
    private final ExecutorService background;
    private final Vertx vertx;
    private final ControlPlane controlPlane;
    private final HttpServer http;

    private ThunkServer(ServerConfig config, DataDirectory dataDir, SqliteFunctionStore store,
                        ExecutorService background, Vertx vertx, ControlPlane controlPlane, HttpServer http) {
        this.config = config;
        this.dataDir = dataDir;
        this.store = store;
        this.background = background;
        this.vertx = vertx;
        this.controlPlane = controlPlane;
        this.http = http;
    }

    public static ThunkServer start(ServerConfig config) {
        DataDirectory dataDir = DataDirectory.open(config.dataDir());
        SqliteFunctionStore store = null;
        Vertx vertx = null;
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        try {
            store = new SqliteFunctionStore(SqliteDatabase.open(dataDir.database()));
            CodeStore code = new FileCodeStore(dataDir.code());
            FunctionService functions = new FunctionService(config.account(), store, code,
                    RuntimeAvailability.any(), Clock.systemUTC(), background, FunctionListener.NONE);
            vertx = Vertx.vertx();
            ControlPlane controlPlane = ControlPlane.create(functions, code, config.concurrencyLimit(), List.of());
            HttpServer http = controlPlane.listen(vertx, config.host(), config.port()).await();
            return new ThunkServer(config, dataDir, store, background, vertx, controlPlane, http);
        } catch (RuntimeException e) {
            if (vertx != null) {
                vertx.close().await();
            }
            background.close();
            if (store != null) {
                store.close();
            }
            dataDir.close();
            throw e;
        }
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

    @Override
    public void close() {
        http.close().await();
        vertx.close().await();
        controlPlane.close();
        background.close();
        store.close();
        dataDir.close();
    }
}
