package dev.thunk.bench;

import dev.thunk.engine.launch.RuntimeCatalog;
import dev.thunk.server.ServerConfig;
import dev.thunk.server.ThunkServer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code thunk bench}: measures, in one run against an in-process Thunk on 127.0.0.1, the loopback HTTP floor,
 * warm synchronous invocations of a no-op function per runtime, cold starts per runtime, throughput under
 * concurrent keep-alive clients, idle memory per warm environment, the time to scale from zero to many busy
 * environments, and the start-up floors of the interpreters and JDKs, then prints a Markdown report on standard output (progress goes to standard error).
 * Every loop is bounded by a count and by the time budget; the temporary data directory is removed at the end.
 *
 * <p>Options: {@code --only warm,cold,throughput,async,memory,scale,process} (default all), {@code --requests N}
 * measured warm round trips (default 2000), {@code --warmup N} (at least 500; then more until the JIT is quiet),
 * {@code --cold N} cold starts per runtime (20), {@code --starts N} process starts per floor command (10),
 * {@code --clients N} throughput clients (32),
 * {@code --seconds N} measured throughput seconds (10) after {@code --warmup-seconds N} (3), {@code --idle-envs N}
 * environments per runtime for idle memory (10), {@code --scale N} concurrent first invocations (200),
 * {@code --budget SECONDS} for the whole run (420), {@code --no-stem-cells} (the server starts a process at every
 * cold start), {@code --busy-poll MICROS} (how long the server's event loops poll before they block; 0: never). Exit status 0, 1 on a failed measurement, 2 on bad options.
 */
public final class Bench {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** The warm section's warm-up goes on (past {@code --warmup} rounds) until the JIT is quiet, or this long. */
    private static final Duration WARM_UP_JIT_MAX = Duration.ofSeconds(60);

    /** The sections a run can measure, in the order they run; {@code --only} picks some. */
    static final List<String> SECTIONS = List.of("warm", "cold", "throughput", "async", "memory", "scale", "process");

    record Options(int requests, int warmup, int cold, int starts, Duration budget, Set<String> only, int clients,
                   int seconds, int warmupSeconds, int idleEnvironments, int scale, boolean stemCells) {
        static Options parse(String[] args) {
            int requests = 2000;
            int warmup = 500;
            int cold = 20;
            int starts = 10;
            int budget = 420;
            int clients = 32;
            int seconds = 10;
            int warmupSeconds = 3;
            int idle = 10;
            int scale = 200;
            Set<String> only = new LinkedHashSet<>(SECTIONS);
            boolean stemCells = true;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--no-stem-cells")) {
                    stemCells = false;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                if (flag.equals("--only")) {
                    only = sections(args[++i]);
                    continue;
                }
                if (flag.equals("--busy-poll")) {
                    // The server is in this JVM: its event loops read the property when it starts.
                    String micros = args[++i];
                    if (!micros.matches("\\d{1,6}")) {
                        throw new IllegalArgumentException("--busy-poll needs microseconds, 0..999999: " + micros);
                    }
                    System.setProperty("thunk.busyPollMicros", micros);
                    continue;
                }
                int value = number(flag, args[++i]);
                switch (flag) {
                    case "--requests" -> requests = value;
                    case "--warmup" -> warmup = value;
                    case "--cold" -> cold = value;
                    case "--starts" -> starts = value;
                    case "--budget" -> budget = value;
                    case "--clients" -> clients = bounded(flag, value, 1000);
                    case "--seconds" -> seconds = bounded(flag, value, 600);
                    case "--warmup-seconds" -> warmupSeconds = bounded(flag, value, 600);
                    case "--idle-envs" -> idle = bounded(flag, value, 200);
                    case "--scale" -> scale = bounded(flag, value, 900);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            return new Options(requests, warmup, cold, starts, Duration.ofSeconds(budget), Set.copyOf(only), clients,
                    seconds, warmupSeconds, idle, scale, stemCells);
        }

        boolean runs(String section) {
            return only.contains(section);
        }

        private static Set<String> sections(String list) {
            Set<String> chosen = new LinkedHashSet<>();
            for (String part : list.split(",")) {
                String section = part.trim();
                if (!SECTIONS.contains(section)) {
                    throw new IllegalArgumentException("--only takes a comma-separated list of " + SECTIONS
                            + ": " + section);
                }
                chosen.add(section);
            }
            return chosen;
        }

        private static int bounded(String flag, int value, int max) {
            if (value > max) {
                throw new IllegalArgumentException(flag + " must be 1.." + max + ": " + value);
            }
            return value;
        }

        private static int number(String flag, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n < 1 || n > 1_000_000) {
                    throw new IllegalArgumentException(flag + " must be 1..1000000: " + value);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a number: " + value);
            }
        }
    }

    private Bench() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("thunk bench: " + e.getMessage());
            System.err.println("usage: thunk bench [--only " + String.join(",", SECTIONS) + "] [--requests N] "
                    + "[--warmup N] [--cold N] [--starts N] [--clients N] [--seconds N] [--warmup-seconds N] "
                    + "[--no-stem-cells] [--busy-poll MICROS] "
                    + "[--idle-envs N] [--scale N] [--budget SECONDS]");
            System.exit(2);
            return;
        }
        try {
            Report report = run(options, System.err);
            report.print(System.out);
            System.out.flush();
            System.exit(0);
        } catch (RuntimeException e) {
            System.err.println("thunk bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Report run(Options options, PrintStream progress) {
        long started = System.nanoTime();
        long deadline = started + options.budget().toNanos();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("thunk-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return measure(options, dataDir, deadline, progress, started);
        } finally {
            deleteTree(dataDir);
        }
    }

    private static Report measure(Options options, Path dataDir, long deadline, PrintStream progress, long started) {
        Report report = new Report(options);
        java.util.Optional<StealTime> stealAtStart = StealTime.now();
        List<BenchFunction> functions = BenchFunction.all();
        boolean needsServer = options.only().stream().anyMatch(section -> !section.equals("process"));
        if (needsServer) {
            try (EchoServer echo = options.runs("warm") ? EchoServer.start() : null;
                 // The load generators send pre-built raw requests: no signature to recompute per request.
                 ThunkServer server = ThunkServer.start(ServerConfig.defaults(dataDir).withPort(0).withAccess(
                         ServerConfig.AccessOptions.defaults().withoutVerification()).withLaunch(
                         ServerConfig.LaunchOptions.defaults().withStemCells(options.stemCells())));
                 Deployer deployer = new Deployer(server.endpoint(), server.ownKey());
                 Connections connections = new Connections()) {
                report.server(server.describe());
                if (options.runs("warm") || options.runs("cold") || options.runs("throughput")
                        || options.runs("memory")) {
                    // Every measurement shares the cores with the archive training otherwise (Findings 5).
                    primeJava(deadline, progress, functions, server, deployer);
                }
                if (options.runs("warm")) {
                    warm(options, deadline, progress, report, functions, echo, server, deployer, connections);
                }
                if (options.runs("cold")) {
                    progress.println("cold: " + options.cold() + " per runtime");
                    report.cold(ColdStarts.measure(deployer, connections.open(server.port()), functions,
                            options.cold(), deadline, () -> StemCellCounts.of(server)));
                }
                if (options.runs("throughput")) {
                    throughput(options, deadline, progress, report, functions, server, deployer);
                }
                if (options.runs("async")) {
                    async(options, deadline, progress, report, functions, server, deployer);
                }
                if (options.runs("memory")) {
                    memory(options, deadline, progress, report, server, deployer);
                }
                if (options.runs("scale")) {
                    scale(options, deadline, progress, report, server, deployer);
                }
            }
        }

        if (options.runs("process")) {
            RuntimeCatalog catalog = RuntimeCatalog.detect();
            Path java21 = catalog.jdkFor("java21").orElseThrow(() -> new IllegalStateException("no JDK 21+"))
                    .executable();
            Path python = catalog.python().orElseThrow(() -> new IllegalStateException("no Python")).executable();
            Path node = catalog.node().orElseThrow(() -> new IllegalStateException("no Node.js")).executable();
            List<ProcessStarts.Command> commands = new ArrayList<>(ProcessStarts.commands(java21, python, node));
            commands.addAll(ProcessStarts.sandboxed(dataDir));
            for (ProcessStarts.Command command : commands) {
                progress.println("process start: " + command.label());
                report.processStart(command.label(), ProcessStarts.time(command, options.starts(), deadline));
            }
        }
        report.elapsed(Duration.ofNanos(System.nanoTime() - started), System.nanoTime() >= deadline);
        stealAtStart.ifPresent(start -> StealTime.now().ifPresent(end -> report.steal(end.percentSince(start))));
        return report;
    }

    private static void warm(Options options, long deadline, PrintStream progress, Report report,
                             List<BenchFunction> functions, EchoServer echo, ThunkServer server, Deployer deployer,
                             Connections connections) {
        List<RoundTrips.Target> targets = new ArrayList<>();
        targets.add(new RoundTrips.Target("floor", connections.open(echo.port()), "/echo"));
        for (BenchFunction function : functions) {
            String name = "warm-" + safeName(function.label());
            deployer.createActive(name, function);
            targets.add(new RoundTrips.Target(name, connections.open(server.port()), invokePath(name)));
        }
        progress.println("warm: the floor and " + functions.size() + " functions: warm-up");
        RoundTrips.WarmUp warmUp = RoundTrips.warmUp(targets, options.warmup(), WARM_UP_JIT_MAX.toNanos(), deadline);
        progress.println("warm: back to back");
        long jitBefore = JitActivity.totalMillis().orElse(0);
        List<Samples> backToBack = RoundTrips.backToBack(targets, options.requests(), deadline);
        long jitBackToBack = JitActivity.totalMillis().orElse(0) - jitBefore;
        progress.println("warm: interleaved");
        List<Samples> interleaved = RoundTrips.interleaved(targets, options.requests(), deadline);
        long jitInterleaved = JitActivity.totalMillis().orElse(0) - jitBefore - jitBackToBack;
        report.warmUp(warmUp, JitActivity.QUIET_MILLIS_PER_SECOND, jitBackToBack, jitInterleaved);
        report.floor(backToBack.getFirst(), interleaved.getFirst());
        List<String> pools = server.engine().describe();
        for (int i = 0; i < functions.size(); i++) {
            String name = targets.get(i + 1).label();
            report.warm(functions.get(i), backToBack.get(i + 1), interleaved.get(i + 1),
                    environments(pools, name));
            deployer.delete(name);
        }
        Deployer.settle();
    }

    /**
     * Thunk trains a class-data archive per JDK in the background when it starts (one JDK after the other); a run
     * first starts one Java environment and waits (at most 120 s) until no
     * training has run for 2 s, so training neither competes for the cores nor leaves some Java environments
     * without the archive.
     */
    private static void primeJava(long deadline, PrintStream progress, List<BenchFunction> functions,
                                  ThunkServer server, Deployer deployer) {
        BenchFunction java = functions.stream().filter(f -> f.label().equals("java21")).findFirst().orElseThrow();
        String name = "prime-java21";
        deployer.createActive(name, java);
        try (HttpConnection connection = HttpConnection.open(server.port(), READ_TIMEOUT)) {
            RoundTrips.check(invokePath(name), connection.post(invokePath(name), RoundTrips.EMPTY_OBJECT, ""));
        }
        Processes.pause(200);
        if (Processes.training()) {
            progress.println("java: waiting for the class-data archive training to end");
        }
        Processes.awaitNoTraining(Math.min(deadline, System.nanoTime() + Duration.ofSeconds(120).toNanos()), 2000);
        deployer.delete(name);
        Deployer.settle();
    }

    /** The no-op functions of the custom runtime and Java under {@code --clients} concurrent keep-alive clients. */
    private static void throughput(Options options, long deadline, PrintStream progress, Report report,
                                   List<BenchFunction> functions, ThunkServer server, Deployer deployer) {
        Duration warmup = Duration.ofSeconds(options.warmupSeconds());
        Duration window = Duration.ofSeconds(options.seconds());
        java.util.Optional<Path> wrk = Wrk.find();
        if (wrk.isEmpty()) {
            progress.println("throughput: wrk is not installed; only the bench's own client measures");
        }
        for (BenchFunction function : functions) {
            if (!function.label().startsWith("provided.al2023") && !function.label().equals("java21")) {
                continue;
            }
            Duration needed = warmup.plus(window).plus(Throughput.JIT_WAIT_MAX).multipliedBy(wrk.isPresent() ? 2 : 1);
            if (System.nanoTime() + needed.toNanos() > deadline) {
                progress.println("throughput: " + function.label() + " skipped: the time budget is spent");
                continue;
            }
            String name = "tp-" + safeName(function.label());
            deployer.createActive(name, function);
            progress.println("throughput: " + function.label() + ", " + options.clients() + " clients, "
                    + warmup.toSeconds() + " s warm-up + " + window.toSeconds() + " s");
            report.throughput(Throughput.run(function.label(), server.port(), invokePath(name), options.clients(),
                    warmup, window, () -> environments(server.engine().describe(), name)));
            if (wrk.isPresent()) {
                progress.println("throughput: " + function.label() + " with wrk");
                report.wrk(Wrk.run(wrk.get(), function.label(), server.port(), invokePath(name), options.clients(),
                        warmup, window));
            }
            deployer.delete(name);
            Deployer.settle(Duration.ofSeconds(15));
        }
    }

    /** Event invocations of the custom runtime's no-op function: acknowledged per second, then the drain. */
    private static void async(Options options, long deadline, PrintStream progress, Report report,
                              List<BenchFunction> functions, ThunkServer server, Deployer deployer) {
        Duration warmup = Duration.ofSeconds(options.warmupSeconds());
        Duration window = Duration.ofSeconds(options.seconds());
        Duration needed = warmup.plus(window).plus(Throughput.JIT_WAIT_MAX).multipliedBy(2);
        if (System.nanoTime() + needed.toNanos() > deadline) {
            progress.println("async: skipped: the time budget is spent");
            return;
        }
        BenchFunction provided = functions.stream().filter(f -> f.label().equals("provided.al2023")).findFirst()
                .orElseThrow();
        String name = "async-provided";
        deployer.createActive(name, provided);
        progress.println("async: " + options.clients() + " clients, synchronous baseline then Event invocations, "
                + warmup.toSeconds() + " s warm-up + " + window.toSeconds() + " s each, then the drain");
        report.async(AsyncEvents.measure(server.port(), invokePath(name), options.clients(), warmup, window,
                server.async(), deadline));
        deployer.delete(name);
        Deployer.settle(Duration.ofSeconds(15));
    }

    /** {@code --idle-envs} warm, idle environments per runtime, and their resident memory. */
    private static void memory(Options options, long deadline, PrintStream progress, Report report,
                               ThunkServer server, Deployer deployer) {
        for (BenchFunction function : BenchFunction.sleepers()) {
            if (System.nanoTime() > deadline) {
                progress.println("memory: " + function.label() + " skipped: the time budget is spent");
                continue;
            }
            String name = "mem-" + safeName(function.label());
            deployer.createActive(name, function);
            progress.println("memory: " + function.label() + ", " + options.idleEnvironments() + " environments");
            report.memory(IdleMemory.measure(function, name, server.port(), options.idleEnvironments()),
                    environments(server.engine().describe(), name));
            deployer.delete(name);
            Deployer.settle(Duration.ofSeconds(15));
        }
    }

    /** {@code --scale} concurrent first invocations of a Python function that sleeps a second. */
    private static void scale(Options options, long deadline, PrintStream progress, Report report,
                              ThunkServer server, Deployer deployer) {
        if (System.nanoTime() > deadline) {
            progress.println("scale: skipped: the time budget is spent");
            return;
        }
        String name = "scale-python3-12";
        deployer.createActive(name, BenchFunction.pythonStarted());
        Deployer.settle(Duration.ofSeconds(15));
        // With --only scale the server's start-up training of Java archives would compete for the cores.
        Processes.awaitNoTraining(Math.min(deadline, System.nanoTime() + Duration.ofSeconds(120).toNanos()), 2000);
        progress.println("scale: " + options.scale() + " concurrent first invocations of python3.12 (sleeps 1 s)");
        ScaleOut.Result result = ScaleOut.run(server.port(), name, options.scale(), () -> server.engine().describe(),
                Math.max(deadline, System.nanoTime() + Duration.ofSeconds(60).toNanos()));
        deployer.delete(name);
        // How long the deleted function's environments take to end is part of the result, not a failure.
        long deleted = System.nanoTime();
        long limit = deleted + Duration.ofSeconds(20).toNanos();
        int left = Processes.environments(name).size();
        while (left > 0 && System.nanoTime() < limit) {
            Processes.pause(50);
            left = Processes.environments(name).size();
        }
        if (left > 0) {
            progress.println("scale: " + left + " environments still running 20 s after the delete; the pools: "
                    + server.engine().describe());
            for (Processes.EnvironmentTree tree : Processes.environments(name)) {
                progress.println("  pid " + tree.pid() + ": " + Processes.commandLine(tree.pid()) + " state "
                        + Processes.state(tree.pid()));
            }
        }
        report.scale(result, (System.nanoTime() - deleted) / 1e6, left);
    }

    /** The bench's connections, all closed together. */
    private static final class Connections implements AutoCloseable {
        private final List<HttpConnection> open = new ArrayList<>();

        HttpConnection open(int port) {
            HttpConnection connection = HttpConnection.open(port, READ_TIMEOUT);
            open.add(connection);
            return connection;
        }

        @Override
        public void close() {
            open.forEach(HttpConnection::close);
        }
    }

    /** How many environments the engine holds for the function, from its pool description ({@code total=N}). */
    private static int environments(List<String> pools, String functionName) {
        Pattern total = Pattern.compile("function=" + Pattern.quote(functionName) + ",.*\\btotal=(\\d+)");
        int sum = 0;
        for (String pool : pools) {
            Matcher m = total.matcher(pool);
            if (m.find()) {
                sum += Integer.parseInt(m.group(1));
            }
        }
        return sum;
    }

    static String invokePath(String functionName) {
        return "/2015-03-31/functions/" + functionName + "/invocations";
    }

    /** A runtime label as a function-name part: {@code python3.12} becomes {@code python3-12}. */
    static String safeName(String label) {
        return label.replaceAll("[^A-Za-z0-9-]", "-");
    }

    static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> all = new ArrayList<>(files.toList());
            all.sort(Comparator.reverseOrder());
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("thunk bench: could not remove " + root + ": " + e.getMessage());
        }
    }
}
