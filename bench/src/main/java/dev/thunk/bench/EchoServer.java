package dev.thunk.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The floor: a Vert.x HTTP echo on 127.0.0.1 with the options Thunk's control plane uses (TCP_NODELAY, HTTP/1.1
 * in the clear) on a Vert.x set up as Thunk's (as many event loops, the same busy polling). It answers every request
 * with its body. Its own Vert.x instance, closed with it.
 */
final class EchoServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer http;

    private EchoServer(Vertx vertx, HttpServer http) {
        this.vertx = vertx;
        this.http = http;
    }

    static EchoServer start() {
        Vertx vertx = dev.thunk.server.ThunkServer.newVertx();
        try {
            HttpServer http = vertx.createHttpServer(new HttpServerOptions()
                            .setHost("127.0.0.1").setPort(0).setTcpNoDelay(true).setHttp2ClearTextEnabled(false))
                    .requestHandler(request -> request.body().onSuccess(body -> request.response()
                            .putHeader("Content-Type", "application/json").end(body)))
                    .listen().await();
            return new EchoServer(vertx, http);
        } catch (RuntimeException e) {
            vertx.close().await();
            throw e;
        }
    }

    int port() {
        return http.actualPort();
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
