package dev.thunk.engine.runtimeapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.Optional;

/**
 * Keeps the trailers of chunked requests, which Vert.x's HTTP/1.1 server reads and drops: a runtime that fails
 * while it streams its response reports the error in trailers. Sits in the connection's Netty pipeline right after
 * the HTTP decoder. Each request's head clears what the request before left; a streamed response takes its own
 * trailers when its end is handled (a runtime streams one response at a time).
 */
final class RequestTrailers extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<HttpHeaders> LAST = AttributeKey.valueOf("thunk.requestTrailers");

    private RequestTrailers() {
    }

    /** Adds the handler to a new connection of the Runtime API listener. */
    static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base && base.channel().pipeline().get("httpDecoder") != null) {
            base.channel().pipeline().addAfter("httpDecoder", "thunkRequestTrailers", new RequestTrailers());
        }
    }

    /** The trailers of the request whose end is being handled on {@code connection}, then forgotten. */
    static Optional<HttpHeaders> take(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            return Optional.ofNullable(base.channel().attr(LAST).getAndSet(null));
        }
        return Optional.empty();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            ctx.channel().attr(LAST).set(null); // a new request: nothing of the one before is its
        }
        if (msg instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
            ctx.channel().attr(LAST).set(last.trailingHeaders().copy());
        }
        ctx.fireChannelRead(msg);
    }
}
