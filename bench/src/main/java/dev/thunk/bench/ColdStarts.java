package dev.thunk.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold starts: the client-observed round trip of an invocation that has to start an environment. Each sample is
 * the first invocation of its own function (same package, name suffix {@code -0}, {@code -1}...), so no
 * control-plane update sits in the timed path. All functions are created first; samples go round the runtimes in
 * turn so slow drift in the machine spreads over all of them; after each sample the function is deleted and the
 * bench waits for its process to be gone.
 */
final class ColdStarts {
    private static final Pattern INIT_DURATION = Pattern.compile("Init Duration: ([\\d.]+) ms");

    /** One runtime's cold starts: client round trips, the REPORT lines' Init Duration, and samples that were warm. */
    record Result(BenchFunction function, Samples roundTrip, Samples initDuration, int notCold) {
    }

    private ColdStarts() {
    }

    static List<Result> measure(Deployer deployer, HttpConnection connection, List<BenchFunction> functions,
                                int samplesEach, long deadlineNanos) {
        Map<BenchFunction, Samples> roundTrips = new LinkedHashMap<>();
        Map<BenchFunction, Samples> inits = new LinkedHashMap<>();
        Map<BenchFunction, Integer> warm = new LinkedHashMap<>();
        for (BenchFunction function : functions) {
            roundTrips.put(function, new Samples());
            inits.put(function, new Samples());
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
                    sample(connection, name, function, roundTrips.get(function), inits.get(function), warm);
                }
                deployer.delete(name);
                Deployer.settle();
            }
        }
        List<Result> results = new ArrayList<>();
        for (BenchFunction function : functions) {
            results.add(new Result(function, roundTrips.get(function), inits.get(function), warm.get(function)));
        }
        return results;
    }

    private static void sample(HttpConnection connection, String name, BenchFunction function, Samples roundTrip,
                               Samples init, Map<BenchFunction, Integer> warm) {
        String path = Bench.invokePath(name);
        long start = System.nanoTime();
        HttpConnection.Response response = connection.post(path, RoundTrips.EMPTY_OBJECT, "X-Amz-Log-Type: Tail\r\n");
        long elapsed = System.nanoTime() - start;
        RoundTrips.check(path, response);
        String logResult = response.header("X-Amz-Log-Result");
        String log = logResult == null ? ""
                : new String(Base64.getDecoder().decode(logResult), StandardCharsets.UTF_8);
        Matcher m = INIT_DURATION.matcher(log);
        if (m.find()) {
            roundTrip.add(elapsed);
            init.add(Math.round(Double.parseDouble(m.group(1)) * 1e6));
        } else {
            // Not a cold start after all (no init in its REPORT): not counted as one.
            warm.merge(function, 1, Integer::sum);
        }
    }

    static String name(BenchFunction function, int i) {
        return "cold-" + Bench.safeName(function.label()) + "-" + i;
    }
}
