package dev.thunk.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a bench run measured, printed as Markdown. Filled by {@link Bench} in order; not thread-safe. */
final class Report {
    private static final double WARM_TARGET_RATIO = 3.0;

    private record Warm(String label, Samples backToBack, Samples interleaved, int environments) {
    }

    private record ProcessStart(String label, Samples samples) {
    }

    private final Bench.Options options;
    private Warm floor = new Warm("floor", new Samples(), new Samples(), 0);
    private final List<String> server = new ArrayList<>();
    private final List<Warm> warm = new ArrayList<>();
    private final List<ColdStarts.Result> cold = new ArrayList<>();
    private final List<ProcessStart> starts = new ArrayList<>();
    private Duration elapsed = Duration.ZERO;
    private boolean outOfTime;

    Report(Bench.Options options) {
        this.options = options;
    }

    void floor(Samples backToBack, Samples interleaved) {
        floor = new Warm("floor: Vert.x HTTP echo", backToBack, interleaved, 0);
    }

    void server(List<String> describe) {
        server.addAll(describe);
    }

    void warm(BenchFunction function, Samples backToBack, Samples interleaved, int environments) {
        warm.add(new Warm("invoke " + function.label(), backToBack, interleaved, environments));
    }

    void cold(List<ColdStarts.Result> results) {
        cold.addAll(results);
    }

    void processStart(String label, Samples samples) {
        starts.add(new ProcessStart(label, samples));
    }

    void elapsed(Duration total, boolean budgetReached) {
        elapsed = total;
        outOfTime = budgetReached;
    }

    void print(PrintStream out) {
        out.println("## Thunk bench");
        out.println();
        out.println("- machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        out.println("- bench and server JVM: " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        server.forEach(line -> out.println("- " + line));
        out.println("- run: " + options.warmup() + " warm-up + " + options.requests() + " measured round trips per "
                + "row, " + options.cold() + " cold starts per runtime, " + options.starts()
                + " starts per process floor; took " + format(elapsed.toMillis() / 1000.0, 1) + " s"
                + (outOfTime ? " (the time budget cut some loops short: see n)" : ""));
        out.println();

        out.println("### Warm synchronous invoke vs. the loopback floor");
        out.println();
        out.println("Sequential `POST {}`, one keep-alive connection per row (the bench's socket client, TCP_NODELAY). "
                + "Back to back: each row's requests in one run. Interleaved: the rows take turns, one request "
                + "each. The target (p50 within 3x of the floor's p50) is judged on back to back.");
        out.println();
        out.println("| path | n | b2b p50 ms | b2b p99 ms | b2b p50 / floor | target ≤ 3x | interleaved p50 ms "
                + "| interleaved p99 ms | interleaved p50 / floor | environments at the end |");
        out.println("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        out.println(warmRow(floor, "", ""));
        for (Warm w : warm) {
            double ratio = w.backToBack().p50() / floor.backToBack().p50();
            out.println(warmRow(w, ratio <= WARM_TARGET_RATIO ? "met" : "**not met**",
                    Integer.toString(w.environments())));
        }
        out.println();

        out.println("### Cold start (first invocation of a new environment)");
        out.println();
        out.println("Client round trip of an invoke that has to start an environment; Init Duration from its REPORT line.");
        out.println();
        out.println("| runtime | n | p50 ms | min ms | max ms | Init Duration p50 ms (min–max) | target p50 | met |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (ColdStarts.Result c : cold) {
            Samples rt = c.roundTrip();
            Samples init = c.initDuration();
            double target = c.function().coldTargetMs();
            String met = Double.isNaN(target) ? "–" : rt.p50() < target ? "met" : "**not met**";
            out.println("| " + c.function().label() + " | " + rt.size()
                    + (c.notCold() > 0 ? " (+" + c.notCold() + " not cold)" : "") + " | "
                    + format(rt.p50(), 1) + " | " + format(rt.minMs(), 1) + " | " + format(rt.maxMs(), 1) + " | "
                    + format(init.p50(), 1) + " (" + format(init.minMs(), 1) + "–" + format(init.maxMs(), 1) + ") | "
                    + (Double.isNaN(target) ? "–" : "< " + format(target, 0)) + " | " + met + " |");
        }
        out.println();

        out.println("### Process start floors (start to exit, output discarded)");
        out.println();
        out.println("| command | n | p50 ms | min ms | max ms |");
        out.println("|---|---:|---:|---:|---:|");
        for (ProcessStart s : starts) {
            out.println("| `" + s.label() + "` | " + s.samples().size() + " | " + format(s.samples().p50(), 1) + " | "
                    + format(s.samples().minMs(), 1) + " | " + format(s.samples().maxMs(), 1) + " |");
        }
    }

    private String warmRow(Warm w, String met, String environments) {
        return "| " + w.label() + " | " + w.backToBack().size() + " | " + format(w.backToBack().p50(), 3) + " | "
                + format(w.backToBack().p99(), 3) + " | "
                + format(w.backToBack().p50() / floor.backToBack().p50(), 2) + "x | " + met + " | "
                + format(w.interleaved().p50(), 3) + " | " + format(w.interleaved().p99(), 3) + " | "
                + format(w.interleaved().p50() / floor.interleaved().p50(), 2) + "x | " + environments + " |";
    }

    private static String format(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
