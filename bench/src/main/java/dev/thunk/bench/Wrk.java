package dev.thunk.bench;

import dev.thunk.engine.launch.Executables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput measured with wrk, the load generator the throughput target names, where it is installed: one wrk
 * thread with {@code connections} keep-alive connections POSTs {@code {}} for a warm-up run, then for the measured
 * run, whose summary is parsed. wrk is written in C and drives all its connections from one epoll loop, so it takes
 * less of the two cores than the bench's own client (a virtual thread per connection in the server's JVM); both
 * are reported. wrk counts any complete HTTP answer: statuses other than 2xx and 3xx and socket errors are
 * reported as errors; the bodies are not checked (the bench's own client does that).
 */
final class Wrk {
    /** One function's result. */
    /** {@code jitMillis}: what the JIT compiled for meanwhile in the bench's and server's JVM, -1 if unknown. */
    record Result(String label, int connections, Duration window, long requests, double perSecond, double p50Ms,
                  double p99Ms, long non2xx, long socketErrors, CpuTimes.Share cpu, long jitMillis) {
    }

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern PER_SECOND = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private Wrk() {
    }

    /** wrk on the PATH, if any. */
    static Optional<Path> find() {
        return Executables.onPath("wrk").map(Path::of);
    }

    static Result run(Path wrk, String label, int port, String path, int connections, Duration warmup,
                      Duration window) {
        Path script = null;
        try {
            script = Files.createTempFile("thunk-bench-wrk", ".lua");
            Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = \"{}\"\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
            String url = "http://127.0.0.1:" + port + path;
            run(wrk, script, url, connections, warmup, false);
            // Then one-second runs until the JIT is quiet (at most as long as the bench's own client waits).
            Path lua = script;
            JitActivity.loadUntilQuiet(() -> {
                try {
                    run(wrk, lua, url, connections, Duration.ofSeconds(1), false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, System.nanoTime() + Throughput.JIT_WAIT_MAX.toNanos());
            CpuTimes before = CpuTimes.now();
            java.util.OptionalLong jitBefore = JitActivity.totalMillis();
            String summary = run(wrk, script, url, connections, window, true);
            java.util.OptionalLong jitAfter = JitActivity.totalMillis();
            CpuTimes after = CpuTimes.now();
            Result result = parse(label, connections, window, summary);
            long jit = jitBefore.isPresent() && jitAfter.isPresent()
                    ? jitAfter.getAsLong() - jitBefore.getAsLong() : -1;
            return new Result(result.label, connections, window, result.requests, result.perSecond, result.p50Ms,
                    result.p99Ms, result.non2xx, result.socketErrors, after.since(before, result.requests), jit);
        } catch (IOException e) {
            throw new IllegalStateException("wrk failed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("wrk failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private static String run(Path wrk, Path script, String url, int connections, Duration duration,
                              boolean latency) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(wrk.toString(), "-t1", "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s", "-s", script.toString()).redirectErrorStream(true);
        if (latency) {
            builder.command().add("--latency");
        }
        builder.command().add(url);
        Process process = builder.start();
        try {
            // wrk stops by itself after the duration; the margin covers its start and its summary.
            if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("wrk did not stop within " + (duration.toSeconds() + 30) + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("wrk exited with " + process.exitValue() + ": " + output);
        }
        return output;
    }

    /** The figures of wrk's summary (with {@code --latency}). */
    static Result parse(String label, int connections, Duration window, String summary) {
        long socketErrors = 0;
        Matcher errors = SOCKET_ERRORS.matcher(summary);
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(errors.group(group));
            }
        }
        return new Result(label, connections, window, number(REQUESTS, summary), decimal(PER_SECOND, summary),
                percentileMs(summary, "50"), percentileMs(summary, "99"),
                NON_2XX.matcher(summary).find() ? number(NON_2XX, summary) : 0, socketErrors, null, -1);
    }

    private static long number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("wrk's summary has no " + pattern + ":\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    private static double decimal(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("wrk's summary has no " + pattern + ":\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    /** A line of the latency distribution, "  50%    3.58ms", in milliseconds; NaN if absent. */
    private static double percentileMs(String summary, String percent) {
        Matcher m = Pattern.compile("(?m)^\\s+" + percent + "%\\s+([\\d.]+)(us|ms|s)\\s*$").matcher(summary);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
