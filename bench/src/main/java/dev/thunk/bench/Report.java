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
    private static final double THROUGHPUT_TARGET = 10_000;

    private record Warm(String label, Samples backToBack, Samples interleaved, int environments) {
    }

    private record ProcessStart(String label, Samples samples) {
    }

    private final Bench.Options options;
    private Warm floor = new Warm("floor", new Samples(), new Samples(), 0);
    private RoundTrips.WarmUp warmUp;
    private long quietJitMillisPerSecond;
    private long jitBackToBackMillis;
    private long jitInterleavedMillis;
    private final List<String> server = new ArrayList<>();
    private final List<Warm> warm = new ArrayList<>();
    private final List<ColdStarts.Result> cold = new ArrayList<>();
    private final List<ProcessStart> starts = new ArrayList<>();
    private final List<Throughput.Result> throughput = new ArrayList<>();
    private final List<Wrk.Result> wrk = new ArrayList<>();
    private final List<IdleMemory.Result> memory = new ArrayList<>();
    private AsyncEvents.Result async;
    private final List<Integer> memoryPoolTotals = new ArrayList<>();
    private ScaleOut.Result scale;
    private double scaleDrainMs = Double.NaN;
    private int scaleLeft;
    private Duration elapsed = Duration.ZERO;
    private double stealPercent = Double.NaN;
    private boolean outOfTime;

    Report(Bench.Options options) {
        this.options = options;
    }

    void warmUp(RoundTrips.WarmUp warmUp, long quietJitMillisPerSecond, long jitBackToBackMillis,
                long jitInterleavedMillis) {
        this.warmUp = warmUp;
        this.quietJitMillisPerSecond = quietJitMillisPerSecond;
        this.jitBackToBackMillis = jitBackToBackMillis;
        this.jitInterleavedMillis = jitInterleavedMillis;
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

    void throughput(Throughput.Result result) {
        throughput.add(result);
    }

    void wrk(Wrk.Result result) {
        wrk.add(result);
    }

    void async(AsyncEvents.Result result) {
        async = result;
    }

    void memory(IdleMemory.Result result, int poolTotal) {
        memory.add(result);
        memoryPoolTotals.add(poolTotal);
    }

    void scale(ScaleOut.Result result, double drainMs, int left) {
        scale = result;
        scaleDrainMs = drainMs;
        scaleLeft = left;
    }

    /** The share of CPU time the hypervisor took during the run (see {@link StealTime}). */
    void steal(double percent) {
        stealPercent = percent;
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
        out.println("- run: sections " + String.join(", ", Bench.SECTIONS.stream().filter(options::runs).toList())
                + "; " + options.warmup() + " warm-up + " + options.requests() + " measured round trips per "
                + "row, " + options.cold() + " cold starts per runtime, " + options.clients() + " throughput clients for "
                + options.warmupSeconds() + " + " + options.seconds() + " s, " + options.idleEnvironments()
                + " idle environments per runtime, " + options.scale() + " scale-out invocations, " + options.starts()
                + " starts per process floor; took " + format(elapsed.toMillis() / 1000.0, 1) + " s"
                + (outOfTime ? " (the time budget cut some loops short: see n)" : ""));
        if (!Double.isNaN(stealPercent)) {
            out.println("- CPU time stolen by the hypervisor during the run (`/proc/stat`): "
                    + format(stealPercent, 1) + " % (a busy host slows every figure, the floor included)");
        }
        out.println();
        if (options.runs("warm")) {
            printWarm(out);
        }
        if (options.runs("cold")) {
            printCold(out);
        }
        if (options.runs("throughput")) {
            printThroughput(out);
        }
        if (options.runs("async") && async != null) {
            printAsync(out);
        }
        if (options.runs("memory")) {
            printMemory(out);
        }
        if (options.runs("scale")) {
            printScale(out);
        }
        if (options.runs("process")) {
            printProcessStarts(out);
        }
    }

    private void printWarm(PrintStream out) {
        out.println("### Warm synchronous invoke vs. the loopback floor");
        out.println();
        out.println("Sequential `POST {}`, one keep-alive connection per row (the bench's socket client, TCP_NODELAY). "
                + "Back to back: each row's requests in one run. Interleaved: the rows take turns, one request "
                + "each. The target (p50 within 3x of the floor's p50) is judged on back to back.");
        if (warmUp != null) {
            out.println();
            if (warmUp.jitMeasured()) {
                out.printf(java.util.Locale.ROOT, "Warm-up: %d rounds over all rows in %.1f s, %s. JIT compilation "
                                + "while measuring (the bench's and the server's JVM): %d ms back to back, %d ms "
                                + "interleaved.%n", warmUp.rounds(), warmUp.seconds(),
                        warmUp.jitQuiet() ? "until two seconds of them in a row each cost the JIT under "
                                + quietJitMillisPerSecond + " ms of compilation"
                                : "**stopped before the JIT was quiet**",
                        jitBackToBackMillis, jitInterleavedMillis);
            } else {
                out.printf(java.util.Locale.ROOT, "Warm-up: %d rounds over all rows in %.1f s; this JVM does not "
                        + "count compilation time, so the JIT may still have been busy.%n", warmUp.rounds(),
                        warmUp.seconds());
            }
        }
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
    }

    private void printCold(PrintStream out) {
        out.println("### Cold start (first invocation of a new environment)");
        out.println();
        out.println("Client round trip of an invoke that has to start an environment; Init Duration from its REPORT line. "
                + "\"stem cell\": the environment was a stem cell bound at the invoke (Init Duration from the binding "
                + "to its first /next); \"new process\": a process was started (no cell was ready, or stem cells off). "
                + "Each sample first waits until no stem cell is starting or warming up. A runtime with no "
                + "\"new process\" row found a cell every time: `--no-stem-cells` measures its process starts.");
        out.println();
        out.println("| runtime | start | n | p50 ms | min ms | max ms | Init Duration p50 ms (min–max) | target p50 | met |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
        for (ColdStarts.Result c : cold) {
            Samples rt = c.roundTrip();
            Samples init = c.initDuration();
            double target = c.path().equals("stem cell") ? stemCellTargetMs(c.function()) : c.function().coldTargetMs();
            String met = Double.isNaN(target) ? "–" : rt.p50() < target ? "met" : "**not met**";
            if (rt.size() == 0 && c.notCold() == 0) {
                continue;
            }
            out.println("| " + c.function().label() + " | " + c.path() + " | " + rt.size()
                    + (c.notCold() > 0 ? " (+" + c.notCold() + " not cold)" : "") + " | "
                    + format(rt.p50(), 1) + " | " + format(rt.minMs(), 1) + " | " + format(rt.maxMs(), 1) + " | "
                    + format(init.p50(), 1) + " (" + format(init.minMs(), 1) + "–" + format(init.maxMs(), 1) + ") | "
                    + (Double.isNaN(target) ? "–" : "< " + format(target, 0)) + " | " + met + " |");
        }
        out.println();
    }

    /** The stem cell targets (issue "millisecond cold starts"): Java under 40 ms, Python and Node.js under 25 ms. */
    private static double stemCellTargetMs(BenchFunction function) {
        String runtime = function.runtime();
        return runtime.startsWith("java") ? 40 : runtime.startsWith("python") || runtime.startsWith("nodejs") ? 25
                : Double.NaN;
    }

    private void printProcessStarts(PrintStream out) {
        out.println("### Process start floors (start to exit, output discarded)");
        out.println();
        out.println("| command | n | p50 ms | min ms | max ms |");
        out.println("|---|---:|---:|---:|---:|");
        for (ProcessStart s : starts) {
            out.println("| `" + s.label() + "` | " + s.samples().size() + " | " + format(s.samples().p50(), 1) + " | "
                    + format(s.samples().minMs(), 1) + " | " + format(s.samples().maxMs(), 1) + " |");
        }
        java.util.Optional<ProcessStart> bare = starts.stream()
                .filter(s -> s.label().equals(ProcessStarts.SANDBOX_BASELINE)).findFirst();
        java.util.Optional<ProcessStart> sandboxed = starts.stream()
                .filter(s -> s.label().equals(ProcessStarts.SANDBOXED)).findFirst();
        if (bare.isPresent() && sandboxed.isPresent()) {
            double cost = sandboxed.get().samples().p50() - bare.get().samples().p50();
            out.println();
            out.println("- sandbox cost per environment start (p50 difference): " + format(cost, 1) + " ms (target "
                    + "< 10 ms: " + (cost < 10 ? "met" : "**not met**") + ")");
        }
        out.println();
    }

    private void printThroughput(PrintStream out) {
        out.println("### Throughput: " + options.clients() + " concurrent keep-alive clients, no-op function");
        out.println();
        out.println("Each client is a virtual thread with the bench's socket client, sending `POST {}` as soon as "
                + "its previous answer arrived; at least " + options.warmupSeconds() + " s warm-up, and on until "
                + "the JIT is quiet (two seconds in a row under " + JitActivity.QUIET_MILLIS_PER_SECOND
                + " ms of compilation each, at most " + Throughput.JIT_WAIT_MAX.toSeconds() + " s more), then "
                + options.seconds() + " s measured (requests that complete inside the window). Latency is per "
                + "request, client-observed. JIT: milliseconds compiled during the window. Target: at least "
                + format(THROUGHPUT_TARGET, 0) + " invocations/s.");
        out.println();
        out.println("| function | clients | warm-up s | window s | invocations/s | ok | p50 ms | p99 ms | max ms | "
                + "errors | throttles | environments (max / end) | JIT ms | target ≥ " + format(THROUGHPUT_TARGET, 0)
                + "/s |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Throughput.Result t : throughput) {
            out.println("| " + t.label() + " | " + t.clients() + " | " + format(t.warmupSeconds(), 1) + " | "
                    + t.window().toSeconds() + " | "
                    + format(t.perSecond(), 0) + " | " + t.ok() + " | " + format(t.latency().p50(), 2) + " | "
                    + format(t.latency().p99(), 2) + " | " + format(t.latency().maxMs(), 1) + " | " + t.errors()
                    + " | " + t.throttles() + " | " + t.environmentsMax() + " / " + t.environmentsEnd() + " | "
                    + (t.jitMillis() < 0 ? "–" : t.jitMillis()) + " | "
                    + (t.perSecond() >= THROUGHPUT_TARGET ? "met" : "**not met**") + " |");
        }
        for (Throughput.Result t : throughput) {
            if (t.firstError() != null) {
                out.println();
                out.println("First error of " + t.label() + ": `" + t.firstError().replace('`', '\'') + "`");
            }
        }
        out.println();
        if (!wrk.isEmpty()) {
            printWrk(out);
        }
    }

    private void printWrk(PrintStream out) {
        out.println("#### The same with wrk");
        out.println();
        out.println("Right after each row above, the same function under `wrk -t1 -c" + options.clients()
                + " --latency` (one C thread driving every connection from one epoll loop, so the load generator "
                + "takes less of the two cores than the bench's own client): a " + options.warmupSeconds()
                + " s run, one-second runs until the JIT is quiet (as above), then the " + options.seconds()
                + " s run reported. Errors: answers other than 2xx "
                + "and 3xx, and socket errors (wrk does not check bodies). CPU per invocation (user + system, "
                + "`/proc`, over the measured run): the server's JVM, the function's environments, and wrk; "
                + "steadier than invocations/s when the host's speed varies. JIT: milliseconds the JIT compiled "
                + "for during the measured run (in the server's JVM, which is the bench's).");
        out.println();
        out.println("| function | connections | window s | invocations/s | requests | p50 ms | p99 ms | errors | "
                + "CPU µs/inv: server | environments | wrk | JIT ms | target ≥ " + format(THROUGHPUT_TARGET, 0)
                + "/s |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Wrk.Result w : wrk) {
            boolean clean = w.non2xx() == 0 && w.socketErrors() == 0;
            out.println("| " + w.label() + " | " + w.connections() + " | " + w.window().toSeconds() + " | "
                    + format(w.perSecond(), 0) + " | " + w.requests() + " | " + format(w.p50Ms(), 2) + " | "
                    + format(w.p99Ms(), 2) + " | " + (w.non2xx() + w.socketErrors()) + " | "
                    + format(w.cpu().serverMicros(), 1) + " | " + format(w.cpu().environmentsMicros(), 1) + " | "
                    + format(w.cpu().reapedMicros(), 1) + " | " + (w.jitMillis() < 0 ? "–" : w.jitMillis()) + " | "
                    + (clean && w.perSecond() >= THROUGHPUT_TARGET ? "met" : "**not met**") + " |");
        }
        out.println();
    }

    private void printAsync(PrintStream out) {
        out.println("### Asynchronous events: acknowledged per second, and the drain");
        out.println();
        out.println("The custom runtime's no-op function, " + options.clients() + " keep-alive clients, "
                + "at least " + options.warmupSeconds() + " s warm-up (on until the JIT is quiet, as above) + "
                + options.seconds() + " s measured per row. A 202 "
                + "is answered only after the event is committed to SQLite (WAL, group commit); the dispatcher runs "
                + "events meanwhile. Baseline: synchronous invokes of the same function with the same clients, "
                + "same run. Target: at least " + format(ASYNC_TARGET, 0) + " acknowledged events/s.");
        out.println();
        out.println("| call | warm-up s | invocations/s | ok | p50 ms | p99 ms | errors | throttles | JIT ms "
                + "| / sync |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Throughput.Result t : List.of(async.sync(), async.acks())) {
            out.println("| " + (t == async.sync() ? "sync (baseline)" : "Event (202, durable)") + " | "
                    + format(t.warmupSeconds(), 1) + " | "
                    + format(t.perSecond(), 0) + " | " + t.ok() + " | " + format(t.latency().p50(), 2) + " | "
                    + format(t.latency().p99(), 2) + " | " + t.errors() + " | " + t.throttles() + " | "
                    + (t.jitMillis() < 0 ? "–" : t.jitMillis()) + " | "
                    + format(t.perSecond() / async.sync().perSecond(), 2) + " |");
        }
        out.println();
        out.println("- acknowledged events/s: " + format(async.acks().perSecond(), 0) + " (target ≥ "
                + format(ASYNC_TARGET, 0) + ": " + (async.acks().perSecond() >= ASYNC_TARGET ? "met" : "**not met**")
                + ")");
        out.println("- backlog when the clients stopped: " + async.backlog() + " events; drained in "
                + format(async.drainSeconds(), 2) + " s (" + format(async.drainPerSecond(), 0) + " events/s)"
                + (async.drained() ? "" : " **not drained within the limit**"));
        out.println("- events received in all: " + async.received() + "; succeeded " + async.succeeded()
                + "; other outcomes " + async.otherOutcomes());
        for (Throughput.Result t : List.of(async.sync(), async.acks())) {
            if (t.firstError() != null) {
                out.println("- first error of " + t.label() + ": `" + t.firstError().replace('`', '\'') + "`");
            }
        }
        out.println();
    }

    private void printMemory(PrintStream out) {
        out.println("### Idle memory per warm environment");
        out.println();
        out.println(options.idleEnvironments() + " concurrent invocations of a function that sleeps 300 ms (one "
                + "environment each), then " + IdleMemory.IDLE_PAUSE.toSeconds() + " s idle; VmRSS of each "
                + "environment's process tree (its root, a child of the bench JVM started with "
                + "AWS_LAMBDA_FUNCTION_NAME in its environment or a stem cell bound to the function, and every "
                + "descendant). RSS counts shared pages (interpreter, libraries, class "
                + "data) in every process; Pss divides them among their sharers.");
        out.println();
        out.println("| runtime | environments (found / pool) | errors | RSS mean MB | RSS min MB | RSS max MB "
                + "| RSS sum MB | Pss mean MB | command of one environment |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int i = 0; i < memory.size(); i++) {
            IdleMemory.Result m = memory.get(i);
            String command = m.command();
            if (command.length() > 160) {
                command = command.substring(0, 157) + "...";
            }
            out.println("| " + m.function().label() + " | " + m.environments().size() + " / "
                    + memoryPoolTotals.get(i) + " | " + m.errors() + " | " + format(m.meanRssMb(), 1) + " | "
                    + format(m.minRssMb(), 1) + " | " + format(m.maxRssMb(), 1) + " | " + format(m.totalRssMb(), 0)
                    + " | " + format(m.meanPssMb(), 1) + " | `" + command.replace('`', '\'') + "` |");
        }
        out.println();
    }

    private void printScale(PrintStream out) {
        out.println("### Scale from zero to " + options.scale() + " busy environments");
        out.println();
        out.println(options.scale() + " clients (virtual threads, the bench's socket client, connections opened "
                + "first) release one first invocation each at the same moment to a python3.12 function with no "
                + "environment, which sleeps 1 s and answers its handler's start time. Times from the release.");
        out.println();
        if (scale == null) {
            out.println("Not measured (the time budget was spent).");
            out.println();
            return;
        }
        out.println("| measure | value |");
        out.println("|---|---:|");
        out.println("| invocations ok / errors | " + scale.ok() + " / " + scale.errors() + " |");
        out.println("| all " + scale.n() + " busy: last handler start | " + format(scale.lastHandlerStartMs(), 0)
                + " ms |");
        out.println("| all busy: last response − 1 s | " + format(scale.lastResponseMs() - 1000, 0) + " ms |");
        out.println("| all busy: first poll of the pool showing " + scale.n() + " busy (5 ms polls) | "
                + format(scale.poolBusyMs(), 0) + " ms |");
        out.println("| most busy at one poll | " + scale.maxBusy() + " |");
        out.println("| handler start p50 / p90 | " + format(scale.handlerStart().p50(), 0) + " / "
                + format(scale.handlerStart().percentileMs(90), 0) + " ms |");
        out.println("| first handler start | " + format(scale.handlerStart().minMs(), 0) + " ms |");
        out.println("| wall time to the last response | " + format(scale.lastResponseMs(), 0) + " ms |");
        out.println("| environments at the end | " + scale.environments() + " |");
        out.println("| after DeleteFunction: until no environment process is left | "
                + (scaleLeft == 0 ? format(scaleDrainMs, 0) + " ms" : scaleLeft + " still running after "
                + format(scaleDrainMs / 1000, 0) + " s") + " |");
        if (scale.firstError() != null) {
            out.println();
            out.println("First error: `" + scale.firstError().replace('`', '\'') + "`");
        }
        out.println();
    }

    private String warmRow(Warm w, String met, String environments) {
        return "| " + w.label() + " | " + w.backToBack().size() + " | " + format(w.backToBack().p50(), 3) + " | "
                + format(w.backToBack().p99(), 3) + " | "
                + format(w.backToBack().p50() / floor.backToBack().p50(), 2) + "x | " + met + " | "
                + format(w.interleaved().p50(), 3) + " | " + format(w.interleaved().p99(), 3) + " | "
                + format(w.interleaved().p50() / floor.interleaved().p50(), 2) + "x | " + environments + " |";
    }

    static final double ASYNC_TARGET = 5_000;

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
