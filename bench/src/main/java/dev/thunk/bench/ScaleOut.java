package dev.thunk.bench;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scale from zero: {@code n} concurrent first invocations of a Python function that sleeps one second, with no
 * environment of it running. Each client has its connection open before the clock starts; all are released at
 * once. Three views of "n environments busy": the latest handler start (each answer carries the wall-clock time its
 * handler started), the last answer minus the one-second sleep, and the first moment the engine's pool description
 * shows n environments busy (polled every 5 ms).
 */
final class ScaleOut {
    private static final Pattern STARTED = Pattern.compile("\"started\"\\s*:\\s*([\\d.eE+]+)");
    private static final Pattern COUNTS = Pattern.compile(
            "total=(\\d+), idle=(\\d+), starting=(\\d+), answered=(\\d+)");

    /** Times in milliseconds from the release of the first request. */
    record Result(int n, int ok, int errors, String firstError, Samples handlerStart, double lastHandlerStartMs,
                  double lastResponseMs, double poolBusyMs, int maxBusy, int environments) {
    }

    private record Call(String error, double handlerStartEpochMs, long answeredNanos) {
    }

    private ScaleOut() {
    }

    static Result run(int port, String name, int n, Supplier<List<String>> pools, long deadlineNanos) {
        String path = Bench.invokePath(name);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch connected = new CountDownLatch(n);
        List<Future<Call>> calls = new ArrayList<>();
        long t0Nanos;
        double t0EpochMs;
        double poolBusyMs = Double.NaN;
        int maxBusy = 0;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                calls.add(threads.submit(() -> call(port, path, connected, go)));
            }
            if (!connected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the scale-out clients could not connect within 30 s");
            }
            Instant now = Instant.now();
            t0Nanos = System.nanoTime();
            t0EpochMs = now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
            go.countDown();
            while (!calls.stream().allMatch(Future::isDone) && System.nanoTime() < deadlineNanos) {
                int busy = busy(pools.get(), name);
                maxBusy = Math.max(maxBusy, busy);
                if (busy >= n && Double.isNaN(poolBusyMs)) {
                    poolBusyMs = (System.nanoTime() - t0Nanos) / 1e6;
                }
                Processes.pause(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        int ok = 0;
        int errors = 0;
        String firstError = null;
        Samples handlerStart = new Samples();
        double lastHandlerStart = Double.NaN;
        long lastAnswer = t0Nanos;
        for (Future<Call> future : calls) {
            Call call;
            try {
                call = future.get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                call = new Call(e.toString(), Double.NaN, t0Nanos);
            }
            lastAnswer = Math.max(lastAnswer, call.answeredNanos());
            if (call.error() != null) {
                errors++;
                firstError = firstError == null ? call.error() : firstError;
                continue;
            }
            ok++;
            double startMs = call.handlerStartEpochMs() - t0EpochMs;
            handlerStart.add(Math.round(startMs * 1e6));
            lastHandlerStart = Double.isNaN(lastHandlerStart) ? startMs : Math.max(lastHandlerStart, startMs);
        }
        return new Result(n, ok, errors, firstError, handlerStart, lastHandlerStart, (lastAnswer - t0Nanos) / 1e6,
                poolBusyMs, maxBusy, total(pools.get(), name));
    }

    private static Call call(int port, String path, CountDownLatch connected, CountDownLatch go) {
        HttpConnection connection;
        try {
            connection = HttpConnection.open(port, Duration.ofSeconds(30));
        } catch (UncheckedIOException e) {
            connected.countDown();
            return new Call("connect: " + e.getCause(), Double.NaN, System.nanoTime());
        }
        try (connection) {
            connected.countDown();
            go.await();
            HttpConnection.Response response = connection.post(path, RoundTrips.EMPTY_OBJECT, "");
            long answered = System.nanoTime();
            Matcher m = STARTED.matcher(response.bodyText());
            if (response.status() != 200 || response.header("X-Amz-Function-Error") != null || !m.find()) {
                return new Call(response.status() + " " + response.bodyText(), Double.NaN, answered);
            }
            return new Call(null, Double.parseDouble(m.group(1)), answered);
        } catch (UncheckedIOException e) {
            return new Call(e.getMessage() + ": " + e.getCause(), Double.NaN, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Call("interrupted", Double.NaN, System.nanoTime());
        }
    }

    /** Environments of the function that hold an invocation: all of them less the starting, idle and answered. */
    static int busy(List<String> pools, String name) {
        int busy = 0;
        for (String pool : pools) {
            if (pool.startsWith("function=" + name + ",")) {
                Matcher m = COUNTS.matcher(pool);
                if (m.find()) {
                    busy += Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2))
                            - Integer.parseInt(m.group(3)) - Integer.parseInt(m.group(4));
                }
            }
        }
        return busy;
    }

    private static int total(List<String> pools, String name) {
        int total = 0;
        for (String pool : pools) {
            if (pool.startsWith("function=" + name + ",")) {
                Matcher m = COUNTS.matcher(pool);
                if (m.find()) {
                    total += Integer.parseInt(m.group(1));
                }
            }
        }
        return total;
    }
}
