package dev.thunk.bench;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Throughput: {@code clients} keep-alive connections, each on its own virtual thread with the bench's socket
 * client, POST {@code {}} to one function as fast as answers come back, for a warm-up and then a measured window.
 * A request counts in the window if it completes inside it. Every answer is classified: ok (200, body {@code {}},
 * no function error), throttled (429) or error (anything else, including a broken connection, which is then
 * reopened). The number of environments is sampled every 100 ms on the caller's thread.
 */
final class Throughput {
    /** One function's result. */
    /**
     * {@code warmupSeconds}: how long the load ran before the window (past the warm-up asked for, until the JIT was
     * quiet); {@code jitMillis}: what the JIT compiled for during the window, -1 if unknown.
     */
    record Result(String label, int clients, Duration window, long ok, long errors, long throttles,
                  Samples latency, int environmentsMax, int environmentsEnd, String firstError, double warmupSeconds,
                  long jitMillis) {
        double perSecond() {
            return ok / (window.toNanos() / 1e9);
        }
    }

    private record Counts(Samples latency, long ok, long errors, long throttles, String firstError) {
    }

    /**
     * What each client sends and which answer counts as ok: a synchronous invoke answers 200 {@code {}}; an
     * asynchronous one ({@code X-Amz-Invocation-Type: Event}) 202 with no body.
     */
    record Call(String path, String headers, int okStatus, String okBody) {
        static Call sync(String path) {
            return new Call(path, "", 200, "{}");
        }

        static Call event(String path) {
            return new Call(path, "X-Amz-Invocation-Type: Event\r\n", 202, "");
        }
    }

    private Throughput() {
    }

    static Result run(String label, int port, String path, int clients, Duration warmup, Duration window,
                      IntSupplier environments) {
        return run(label, port, Call.sync(path), clients, warmup, window, environments);
    }

    /**
     * The load runs for {@code warmup}, then on until the JIT is quiet (at most {@link #JIT_WAIT_MAX} more), then
     * for the measured {@code window}.
     */
    static Result run(String label, int port, Call call, int clients, Duration warmup, Duration window,
                      IntSupplier environments) {
        long start = System.nanoTime();
        Window measured = new Window();
        List<Future<Counts>> futures = new ArrayList<>();
        int[] maxEnvironments = {0};
        long jitMillis;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                futures.add(threads.submit(() -> client(port, call, measured)));
            }
            Runnable sample = () -> maxEnvironments[0] = Math.max(maxEnvironments[0], environments.getAsInt());
            try {
                runFor(warmup.toNanos(), sample);
                JitActivity.loadUntilQuiet(() -> runFor(JitActivity.WINDOW_NANOS, sample),
                        System.nanoTime() + JIT_WAIT_MAX.toNanos());
                long jitBefore = JitActivity.totalMillis().orElse(-1);
                measured.open(System.nanoTime(), window.toNanos());
                runFor(window.toNanos(), sample);
                jitMillis = jitBefore < 0 ? -1 : JitActivity.totalMillis().orElse(0) - jitBefore;
            } finally {
                if (measured.to == Long.MAX_VALUE) {
                    measured.open(System.nanoTime(), 0); // the clients stop, so the executor can close
                }
            }
        }
        double warmupSeconds = (measured.from - start) / 1e9;
        Samples latency = new Samples();
        long ok = 0;
        long errors = 0;
        long throttles = 0;
        String firstError = null;
        for (Future<Counts> future : futures) {
            Counts counts;
            try {
                counts = future.get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("a throughput client failed: " + e, e);
            }
            latency.addAll(counts.latency());
            ok += counts.ok();
            errors += counts.errors();
            throttles += counts.throttles();
            if (firstError == null) {
                firstError = counts.firstError();
            }
        }
        int end = environments.getAsInt();
        return new Result(label, clients, window, ok, errors, throttles, latency, Math.max(maxEnvironments[0], end),
                end, firstError, warmupSeconds, jitMillis);
    }

    /** How long a row's load may go on past its warm-up waiting for a quiet JIT. */
    static final Duration JIT_WAIT_MAX = Duration.ofSeconds(20);

    /** The measured window, opened by the main thread once the warm-up is over; the clients run until it closes. */
    private static final class Window {
        volatile long from = Long.MAX_VALUE;
        volatile long to = Long.MAX_VALUE;

        void open(long fromNanos, long lengthNanos) {
            to = fromNanos + lengthNanos;
            from = fromNanos;
        }
    }

    /** Lets the load run for {@code nanos}, sampling every 100 ms. */
    private static void runFor(long nanos, Runnable sample) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            sample.run();
            Processes.pause(Math.max(1, Math.min(100, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    /** One client's loop until the end of the window; only completions inside the window are recorded. */
    private static Counts client(int port, Call call, Window measured) {
        Samples latency = new Samples();
        long ok = 0;
        long errors = 0;
        long throttles = 0;
        String firstError = null;
        HttpConnection connection = null;
        try {
            while (true) {
                long begin = System.nanoTime();
                if (begin >= measured.to) {
                    break;
                }
                String error = null;
                int status = 0;
                try {
                    if (connection == null) {
                        connection = HttpConnection.open(port, Duration.ofSeconds(30));
                    }
                    HttpConnection.Response response = connection.post(call.path(), RoundTrips.EMPTY_OBJECT,
                            call.headers());
                    status = response.status();
                    if (status != 429 && (status != call.okStatus() || response.header("X-Amz-Function-Error") != null
                            || !response.bodyText().equals(call.okBody()))) {
                        error = status + " " + response.bodyText();
                    }
                } catch (UncheckedIOException e) {
                    error = e.getMessage() + ": " + e.getCause();
                    if (connection != null) {
                        connection.close();
                        connection = null;
                    }
                }
                long end = System.nanoTime();
                if (end < measured.from || end >= measured.to) {
                    if (error != null) {
                        Processes.pause(10);
                    }
                    continue;
                }
                if (error != null) {
                    errors++;
                    if (firstError == null) {
                        firstError = error;
                    }
                    Processes.pause(10);
                } else if (status == 429) {
                    throttles++;
                } else {
                    ok++;
                    latency.add(end - begin);
                }
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
        return new Counts(latency, ok, errors, throttles, firstError);
    }
}
