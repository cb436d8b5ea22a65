package dev.thunk.engine.runtimeapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Keeps the trailers of streamed responses, which Vert.x's HTTP/1.1 server reads and drops: a runtime that fails
 * while it streams its response reports the error in trailers. Sits in the connection's Netty pipeline right after
 * the HTTP decoder, ahead of Vert.x, which may hold a request back (a paused stream) while later ones are decoded:
 * so each streamed request's trailers (or none) are queued in order, and its end handler takes the oldest.
 */
final class RequestTrailers extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<ArrayDeque<HttpHeaders>> QUEUE = AttributeKey.valueOf("thunk.streamTrailers");
    private boolean inStreamedRequest;

    private RequestTrailers() {
    }

    /** Adds the handler to a new connection of the Runtime API listener. */
    static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base && base.channel().pipeline().get("httpDecoder") != null) {
            base.channel().attr(QUEUE).set(new ArrayDeque<>());
            base.channel().pipeline().addAfter("httpDecoder", "thunkRequestTrailers", new RequestTrailers());
        }
    }

    /** The trailers of the oldest streamed request on {@code connection} whose end is being handled. */
    static Optional<HttpHeaders> take(HttpConnection connection) {
        if (connection instanceof ConnectionBase base && base.channel().attr(QUEUE).get() != null) {
            HttpHeaders trailers = base.channel().attr(QUEUE).get().poll();
            return trailers == null || trailers.isEmpty() ? Optional.empty() : Optional.of(trailers);
        }
        return Optional.empty();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            inStreamedRequest = RuntimeApiServer.streamedResponse(request.method().name(), request.uri(),
                    request.headers().get(RuntimeApiServer.RESPONSE_MODE_HEADER));
        }
        if (msg instanceof LastHttpContent last && inStreamedRequest) {
            inStreamedRequest = false;
            ctx.channel().attr(QUEUE).get().add(last.trailingHeaders().isEmpty() ? EmptyHttpHeaders.INSTANCE
                    : last.trailingHeaders().copy());
        }
        ctx.fireChannelRead(msg);
    }
}
