package dev.thunk.engine;

import dev.thunk.core.FunctionVersion;
import dev.thunk.core.invoke.InvocationResult;
import dev.thunk.engine.logs.LogStore;
import dev.thunk.engine.runtimeapi.RuntimeApiServer;
import dev.thunk.engine.runtimeapi.StreamStart;
import dev.thunk.testkit.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvironmentTest {
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();
    private Process process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
        vertx.close().await();
    }

    private static final byte[] NEXT = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static FunctionVersion function() {
        return TestFunctions.version("f", FunctionVersion.LATEST, "rev");
    }

    /** An invocation of {@link #function()} with {@code {}} as its event. */
    private static Invocation invocation(String requestId, boolean tailLog) {
        return new Invocation(requestId, function(), "arn:aws:lambda:us-east-1:123456789012:function:f",
                "{}".getBytes(StandardCharsets.UTF_8), Optional.empty(), tailLog);
    }

    /** An environment registered in its own pool, with its Runtime API listening; no process attached yet. */
    private record Started(FunctionPool pool, Environment environment, RuntimeApiServer api) {
    }

    private Started start(String id) {
        FunctionPool pool = new FunctionPool(function(), (p, provisioned) -> { }, true);
        Environment environment = new Environment(id, Optional.empty(), pool,
                new LogStore(dir).open("f", FunctionVersion.LATEST, id, Instant.now()), vertx);
        pool.register(environment);
        return new Started(pool, environment, RuntimeApiServer.start(vertx, environment).await());
    }

    /** As {@link #start}, with a stand-in process attached as a launch attaches the runtime's. */
    private Started startAttached(String id) throws java.io.IOException {
        Started started = start(id);
        process = new ProcessBuilder("sleep", "30").start();
        started.environment().attach(process, started.api(), Optional.empty());
        return started;
    }

    /** Sends a runtime's GET /next on {@code runtime} and waits until the environment has parked it. */
    private static void parkNext(Socket runtime, Started started) throws java.io.IOException {
        runtime.getOutputStream().write(NEXT);
        Await.until("the runtime waits for work", Duration.ofSeconds(5),
                () -> ready(started.pool(), started.environment()));
    }

    /**
     * On a loaded machine the runtime can ask for work, and its pool be retired (its function deleted), before the
     * thread that started the runtime's process attaches it: the process attached afterwards must still be ended.
     */
    @Test
    void aProcessAttachedAfterItsEnvironmentEndedIsKilled() throws Exception {
        Started started = start("e1");
        Environment environment = started.environment();
        try (Socket runtime = new Socket("127.0.0.1", started.api().port())) {
            OutputStream out = runtime.getOutputStream();
            out.write(NEXT);
            out.flush();
            Await.until("the runtime waits for work", Duration.ofSeconds(5),
                    () -> environment.state() == Environment.State.IDLE);
            started.pool().retire();

            process = new ProcessBuilder("sleep", "30").start();
            environment.attach(process, started.api(), Optional.empty());
            Await.until("the late process is killed", Duration.ofSeconds(5), () -> !process.isAlive());
        }
    }

    /**
     * A runtime that lost the connection of its long poll asks again on a new one (the pipelining clients do when
     * the server closed after answering their post): the new call takes the dead one's place and gets the next
     * invocation, where it used to be refused because the environment already waited.
     */
    @Test
    void aLongPollOnANewConnectionReplacesOneWhoseConnectionIsGone() throws Exception {
        Started started = startAttached("e2");
        FunctionPool pool = started.pool();
        Environment environment = started.environment();
        try (Socket lost = new Socket("127.0.0.1", started.api().port())) {
            parkNext(lost, started);
        }
        Await.until("the server sees the connection closed", Duration.ofSeconds(5),
                () -> !ready(pool, environment));

        try (Socket again = new Socket("127.0.0.1", started.api().port())) {
            again.setSoTimeout(10_000);
            parkNext(again, started);
            pool.submit(invocation("req-1", false));
            String answer = new String(again.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", answer);
            Await.until("the invocation went to this environment", Duration.ofSeconds(5),
                    () -> environment.state() == Environment.State.BUSY);
        }
    }

    /**
     * An environment whose process could not be started: the invocation that waited for it fails with
     * Runtime.InvalidEntrypoint and still gets its START, END and REPORT lines with the error between them, and the
     * log stream is closed (no process will ever exit to close it).
     */
    @Test
    void anEnvironmentThatCouldNotStartLogsItsInvocationAndClosesItsLog() {
        Started started = start("e3");
        Environment environment = started.environment();
        Invocation victim = invocation("req-3", true);
        var result = (InvocationResult.Failure) environment
                .launchFailed(Optional.of(victim), "no such file").orElseThrow();
        assertEquals("Runtime.InvalidEntrypoint", result.errorType());
        String log = new String(java.util.Base64.getDecoder().decode(result.logTail().orElseThrow()),
                StandardCharsets.UTF_8);
        assertTrue(log.startsWith("START RequestId: req-3 Version: $LATEST\n"
                + "RequestId: req-3 Error: no such file\nRuntime.InvalidEntrypoint\nEND RequestId: req-3\n"
                + "REPORT RequestId: req-3\t"), log);
        assertEquals(Environment.State.DEAD, environment.state());
        assertThrows(java.io.UncheckedIOException.class,
                () -> environment.log().append("after the end\n"), "the log stream is closed");
        started.api().close().await();
    }

    /**
     * While a runtime streams its answer, a second stream and a whole answer for the same invocation are refused;
     * the stream's end answers it, with the chunks as its payload for a caller that waits for it whole.
     */
    @Test
    void aStreamedAnswerIsTheOnlyAnswerWhileItIsOpen() throws Exception {
        Started started = startAttached("e4");
        FunctionPool pool = started.pool();
        Environment environment = started.environment();
        try (Socket runtime = new Socket("127.0.0.1", started.api().port())) {
            parkNext(runtime, started);
            Invocation invocation = invocation("req-s", false);
            pool.submit(invocation);
            Await.until("the invocation is dispatched", Duration.ofSeconds(5),
                    () -> environment.state() == Environment.State.BUSY);

            var open = assertInstanceOf(
                    StreamStart.Open.class, environment.streamResponse("req-s", "text/plain"));
            var second = assertInstanceOf(
                    StreamStart.Refused.class, environment.streamResponse("req-s", "text/plain"));
            assertEquals(403, second.answer().status());
            assertEquals(403,
                    environment.response("req-s", "{}".getBytes(StandardCharsets.UTF_8)).status());
            assertEquals(403, environment.error("req-s", "Oops", new byte[0]).status());
            assertFalse(invocation.result.isDone());

            assertTrue(open.response().chunk("he".getBytes(StandardCharsets.UTF_8)));
            assertTrue(open.response().chunk("llo".getBytes(StandardCharsets.UTF_8)));
            assertEquals(202, open.response().end(Optional.empty(), Optional.empty()).status());
            var result = (InvocationResult.Success) invocation.result.get(5, TimeUnit.SECONDS);
            assertEquals("hello", new String(result.payload(), StandardCharsets.UTF_8));
        }
    }

    /**
     * END and REPORT are written after the caller's answer, but before the runtime's 202: a log follower, which reads
     * the file as it grows, sees them without waiting for the next invocation.
     */
    @Test
    void anAnsweredInvocationsEndAndReportAreInTheFileByTheRuntimes202() throws Exception {
        Started started = startAttached("e5");
        try (Socket runtime = new Socket("127.0.0.1", started.api().port())) {
            runtime.setSoTimeout(10_000);
            parkNext(runtime, started);
            Invocation invocation = invocation("req-5", false);
            started.pool().submit(invocation);
            java.io.InputStream in = runtime.getInputStream();
            String event = "";
            while (!event.endsWith("\r\n\r\n{}")) {
                int b = in.read();
                assertTrue(b >= 0, "the connection ended before the event: " + event);
                event += (char) b;
            }
            String path = "/2018-06-01/runtime/invocation/req-5/response";
            runtime.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 202", new String(in.readNBytes(12), StandardCharsets.US_ASCII));
            assertTrue(invocation.result.isDone());

            String log = java.nio.file.Files.readString(started.environment().log().file());
            assertTrue(log.startsWith("START RequestId: req-5 Version: $LATEST\nEND RequestId: req-5\n"
                    + "REPORT RequestId: req-5\tDuration: "), log);
        }
    }

    private static boolean ready(FunctionPool pool, Environment environment) {
        pool.lock.lock();
        try {
            return environment.readyLocked();
        } finally {
            pool.lock.unlock();
        }
    }

    @Test
    void durationsPrintWithTwoDecimalsLikeAws() {
        for (double value : new double[] {0, 0.004, 0.005, 1.5, 12.345, 99.999, 1234.5678, 0.1}) {
            assertEquals(String.format(java.util.Locale.ROOT, "%.2f", value),
                    Environment.twoDecimals(value), "for " + value);
        }
    }
}
