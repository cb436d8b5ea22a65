package dev.thunk.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.IntSupplier;
import io.vertx.core.transport.Transport;

import java.nio.channels.spi.SelectorProvider;

/**
 * Vert.x's NIO transport with event loops that busy-poll for a short while before they block. An invocation crosses
 * processes four times (caller, event loop, runtime, event loop, caller); every time the event loop has gone to
 * sleep in {@code epoll_wait}, the next message must wake it, and waking a thread whose CPU has gone idle costs more
 * than the whole exchange on a virtual machine whose idle CPUs halt. A loop that keeps polling ({@code selectNow})
 * for {@code pollMicros} after its last piece of work is awake when the runtime's answer arrives a few tens of
 * microseconds later. Past that window it blocks as usual, so an idle server costs nothing; a loop under load never
 * reaches the window at all. Zero turns polling off: plain NIO behaviour.
 */
final class BusyPollingTransport implements Transport {
    private final long pollNanos;
    private final io.vertx.core.spi.transport.Transport nio = Transport.NIO.implementation();

    BusyPollingTransport(long pollMicros) {
        this.pollNanos = pollMicros * 1_000L;
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public Throwable unavailabilityCause() {
        return null;
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
        return new Implementation(nio, pollNanos);
    }

    /** One strategy per event loop: each loop keeps its own time of last work. */
    private record BusyPolling(long pollNanos) implements SelectStrategyFactory {
        @Override
        public SelectStrategy newSelectStrategy() {
            return new SelectStrategy() {
                private long lastWork = System.nanoTime();
                private boolean blocked;

                @Override
                public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
                    long now = System.nanoTime();
                    if (blocked) {
                        blocked = false;  // woken from a blocking select: that was work
                        lastWork = now;
                    }
                    int ready = selectNow.get();
                    if (ready > 0 || hasTasks) {
                        lastWork = now;
                        return ready;
                    }
                    if (now - lastWork < pollNanos) {
                        // Polite: any other thread or process ready to run on this CPU (the caller, a runtime)
                        // runs first; with none, yield returns at once and the loop polls again.
                        Thread.yield();
                        return 0;  // nothing ready: the loop runs its (empty) task queue and asks again
                    }
                    blocked = true;
                    return SelectStrategy.SELECT;
                }
            };
        }
    }

    /** Vert.x's NIO transport in every respect but the event loops' select strategy. */
    private record Implementation(io.vertx.core.spi.transport.Transport nio, long pollNanos)
            implements io.vertx.core.spi.transport.Transport {
        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory(SelectorProvider.provider(), new BusyPolling(pollNanos));
        }

        @Override
        public boolean supportsDomainSockets() {
            return nio.supportsDomainSockets();
        }

        @Override
        public java.net.SocketAddress convert(io.vertx.core.net.SocketAddress address) {
            return nio.convert(address);
        }

        @Override
        public io.vertx.core.net.SocketAddress convert(java.net.SocketAddress address) {
            return nio.convert(address);
        }

        @Override
        public DatagramChannel datagramChannel() {
            return nio.datagramChannel();
        }

        @Override
        public DatagramChannel datagramChannel(InternetProtocolFamily family) {
            return nio.datagramChannel(family);
        }

        @Override
        public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
            return nio.channelFactory(domainSocket);
        }

        @Override
        public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
            return nio.serverChannelFactory(domainSocket);
        }
    }
}
