package dev.thunk.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold starts: the client-observed round trip of an invocation that has to start an environment. Each sample is
 * the first invocation of its own function (same package, name suffix {@code -0}, {@code -1}...), so no
 * control-plane update sits in the timed path. All functions are created first; samples go round the runtimes in
 * turn so slow drift in the machine spreads over all of them; after each sample the function is deleted and the
 * bench waits for its process to be gone. Before each sample it also waits (at most {@link #QUIET_LIMIT_NANOS})
 * until no stem cell is starting or warming up: the cell bound by the sample before is replaced as soon as that
 * sample's init ends, and a Java or Node.js cell warming up would otherwise share the two cores with the next
 * sample. A sample is counted as a stem cell start when the engine's count of bound stem cells went up during it,
 * else as a process start (the first of each runtime, or all of them with {@code --no-stem-cells}).
 */
final class ColdStarts {
    private static final Pattern INIT_DURATION = Pattern.compile("Init Duration: ([\\d.]+) ms");
    /** How long a sample waits for the stem cells to be quiet before it goes ahead anyway. */
    static final long QUIET_LIMIT_NANOS = 10_000_000_000L;

    /**
     * One runtime's cold starts of one kind ({@code path}: "stem cell" or "new process"): client round trips, the
     * REPORT lines' Init Duration, and samples that were warm.
     */
    record Result(BenchFunction function, String path, Samples roundTrip, Samples initDuration, int notCold) {
    }

    private record Kind(Samples roundTrip, Samples init) {
        Kind() {
            this(new Samples(), new Samples());
        }
    }

    private ColdStarts() {
    }

    /** {@code stemCells}: the engine's stem cells now. */
    static List<Result> measure(Deployer deployer, HttpConnection connection, List<BenchFunction> functions,
                                int samplesEach, long deadlineNanos, Supplier<StemCellCounts> stemCells) {
        Map<BenchFunction, Kind> cells = new LinkedHashMap<>();
        Map<BenchFunction, Kind> processes = new LinkedHashMap<>();
        Map<BenchFunction, Integer> warm = new LinkedHashMap<>();
        for (BenchFunction function : functions) {
            cells.put(function, new Kind());
            processes.put(function, new Kind());
            warm.put(function, 0);
            for (int i = 0; i < samplesEach; i++) {
                deployer.createActive(name(function, i), function);
            }
        }
        Deployer.settle();
        for (int i = 0; i < samplesEach; i++) {
            for (BenchFunction function : functions) {
                String name = name(function, i);
                if (System.nanoTime() < deadlineNanos) {
                    awaitQuiet(stemCells, Math.min(deadlineNanos, System.nanoTime() + QUIET_LIMIT_NANOS));
                    long bound = stemCells.get().bound();
                    Sample s = sample(connection, name);
                    Kind kind = stemCells.get().bound() > bound ? cells.get(function) : processes.get(function);
                    if (s.initNanos() < 0) {
                        // Not a cold start after all (no init in its REPORT): not counted as one.
                        warm.merge(function, 1, Integer::sum);
                    } else {
                        kind.roundTrip().add(s.roundTripNanos());
                        kind.init().add(s.initNanos());
                    }
                }
                deployer.delete(name);
                Deployer.settle();
            }
        }
        List<Result> results = new ArrayList<>();
        for (BenchFunction function : functions) {
            Kind cell = cells.get(function);
            Kind process = processes.get(function);
            if (cell.roundTrip().size() > 0) {
                results.add(new Result(function, "stem cell", cell.roundTrip(), cell.init(), 0));
            }
            results.add(new Result(function, "new process", process.roundTrip(), process.init(), warm.get(function)));
        }
        return results;
    }

    private static void awaitQuiet(Supplier<StemCellCounts> stemCells, long untilNanos) {
        while (!stemCells.get().quiet() && System.nanoTime() < untilNanos) {
            Processes.pause(5);
        }
    }

    /** One cold start: its round trip, and its Init Duration (-1 when the REPORT had none). */
    private record Sample(long roundTripNanos, long initNanos) {
    }

    private static Sample sample(HttpConnection connection, String name) {
        String path = Bench.invokePath(name);
        long start = System.nanoTime();
        HttpConnection.Response response = connection.post(path, RoundTrips.EMPTY_OBJECT, "X-Amz-Log-Type: Tail\r\n");
        long elapsed = System.nanoTime() - start;
        RoundTrips.check(path, response);
        String logResult = response.header("X-Amz-Log-Result");
        String log = logResult == null ? ""
                : new String(Base64.getDecoder().decode(logResult), StandardCharsets.UTF_8);
        Matcher m = INIT_DURATION.matcher(log);
        return new Sample(elapsed, m.find() ? Math.round(Double.parseDouble(m.group(1)) * 1e6) : -1);
    }

    static String name(BenchFunction function, int i) {
        return "cold-" + Bench.safeName(function.label()) + "-" + i;
    }
}
