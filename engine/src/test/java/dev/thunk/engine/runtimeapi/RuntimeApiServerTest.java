package dev.thunk.engine.runtimeapi;

import dev.thunk.testkit.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Streamed responses on the Runtime API listener, against a stand-in environment. */
class RuntimeApiServerTest {
    /** One event loop, as Thunk runs on two cores: what one connection sends is read before a later connection's. */
    private final Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    /** Takes a streamed response: records its chunks, and is ready for more only when the test says so. */
    private static final class SlowReader implements RuntimeApi, StreamedResponse {
        final List<String> chunks = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
        volatile Optional<String> errorType = Optional.empty();
        volatile Optional<byte[]> errorBody = Optional.empty();
        volatile boolean ended;

        @Override
        public StreamStart streamResponse(String requestId, String contentType) {
            return new StreamStart.Open(this);
        }

        @Override
        public boolean chunk(byte[] bytes) {
            chunks.add(new String(bytes, StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public CompletionStage<Void> readyForMore() {
            return ready;
        }

        @Override
        public Answer end(Optional<String> errorType, Optional<byte[]> errorBody) {
            this.errorType = errorType;
            this.errorBody = errorBody;
            ended = true;
            return Answer.ACCEPTED;
        }

        @Override
        public void aborted() {
        }

        @Override
        public void next(NextCall call) {
        }

        @Override
        public Answer response(String requestId, byte[] body) {
            return Answer.ACCEPTED;
        }

        @Override
        public Answer responseTooLarge(String requestId) {
            return Answer.ACCEPTED;
        }

        @Override
        public Answer error(String requestId, String errorType, byte[] body) {
            return Answer.ACCEPTED;
        }

        @Override
        public Answer initError(String errorType, byte[] body) {
            return Answer.ACCEPTED;
        }
    }

    private static final String HEAD = "POST /2018-06-01/runtime/invocation/r1/response HTTP/1.1\r\nHost: x\r\n"
            + "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static void send(OutputStream out, String text) throws Exception {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A listener whose reader lags, and a runtime's connection that has streamed it a first chunk, "one". */
    private Socket streamingToALaggingReader(SlowReader reader) throws Exception {
        RuntimeApiServer server = RuntimeApiServer.start(vertx, reader).await();
        reader.ready = new CompletableFuture<>();
        Socket runtime = new Socket("127.0.0.1", server.port());
        send(runtime.getOutputStream(), HEAD + "3\r\none\r\n");
        Await.until("the first chunk is taken", Duration.ofSeconds(5), () -> reader.chunks.size() == 1);
        return runtime;
    }

    @Test
    void aStreamIsNotReadWhileItsReaderIsBehind() throws Exception {
        SlowReader reader = new SlowReader();
        try (Socket runtime = streamingToALaggingReader(reader)) {
            send(runtime.getOutputStream(), "3\r\ntwo\r\n5\r\nthree\r\n0\r\n\r\n");
            // Paused: a wrong server would have handed on the rest by the time another request on a new
            // connection is answered.
            try (Socket other = new Socket("127.0.0.1", runtime.getPort())) {
                send(other.getOutputStream(), "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
                other.getInputStream().readNBytes(12);
            }
            assertEquals(List.of("one"), reader.chunks);

            reader.ready.complete(null);
            Await.until("the rest is read once the reader caught up", Duration.ofSeconds(5), () -> reader.ended);
            assertEquals("onetwothree", String.join("", reader.chunks));
            String answer = new String(runtime.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 202", answer);
        }
    }

    /** A request pipelined behind a paused stream is decoded meanwhile; the stream's trailers still reach its end. */
    @Test
    void aPausedStreamKeepsItsTrailersWhileLaterRequestsArrive() throws Exception {
        SlowReader reader = new SlowReader();
        try (Socket runtime = streamingToALaggingReader(reader)) {
            send(runtime.getOutputStream(), "3\r\ntwo\r\n0\r\nLambda-Runtime-Function-Error-Type: Late\r\n\r\n"
                    + "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
            reader.ready.complete(null);
            Await.until("the stream ended", Duration.ofSeconds(5), () -> reader.ended);
            assertEquals(Optional.of("Late"), reader.errorType);
            assertEquals("onetwo", String.join("", reader.chunks));
        }
    }

    @Test
    void errorTrailersReachTheEnvironment() throws Exception {
        SlowReader reader = new SlowReader();
        RuntimeApiServer server = RuntimeApiServer.start(vertx, reader).await();
        try (Socket runtime = new Socket("127.0.0.1", server.port())) {
            send(runtime.getOutputStream(), HEAD + "3\r\none\r\n0\r\nLambda-Runtime-Function-Error-Type: Boom\r\n"
                    + "Lambda-Runtime-Function-Error-Body: eyJlcnJvck1lc3NhZ2UiOiJ4In0=\r\n\r\n");
            Await.until("the stream ended", Duration.ofSeconds(5), () -> reader.ended);
            assertEquals(Optional.of("Boom"), reader.errorType);
            assertEquals("{\"errorMessage\":\"x\"}", new String(reader.errorBody.orElseThrow(), StandardCharsets.UTF_8));
            InputStream in = runtime.getInputStream();
            assertEquals("HTTP/1.1 202", new String(in.readNBytes(12), StandardCharsets.US_ASCII));
        }
    }
}
