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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code thunk bench}: measures, in one run against an in-process Thunk on 127.0.0.1, the loopback HTTP floor,
 * warm synchronous invocations of a no-op function per runtime, cold starts per runtime and the start-up floors of
 * the interpreters and JDKs, then prints a Markdown report on standard output (progress goes to standard error).
 * Every loop is bounded by a count and by the time budget; the temporary data directory is removed at the end.
 *
 * <p>Options: {@code --requests N} measured warm round trips (default 2000), {@code --warmup N} (500),
 * {@code --cold N} cold starts per runtime (20), {@code --starts N} process starts per floor command (10),
 * {@code --budget SECONDS} for the whole run (170). Exit status 0, 1 on a failed measurement, 2 on bad options.
 */
public final class Bench {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    record Options(int requests, int warmup, int cold, int starts, Duration budget) {
        static Options parse(String[] args) {
            int requests = 2000;
            int warmup = 500;
            int cold = 20;
            int starts = 10;
            int budget = 170;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                int value = number(flag, args[++i]);
                switch (flag) {
                    case "--requests" -> requests = value;
                    case "--warmup" -> warmup = value;
                    case "--cold" -> cold = value;
                    case "--starts" -> starts = value;
                    case "--budget" -> budget = value;
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            return new Options(requests, warmup, cold, starts, Duration.ofSeconds(budget));
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
            System.err.println("usage: thunk bench [--requests N] [--warmup N] [--cold N] [--starts N] [--budget SECONDS]");
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
        List<BenchFunction> functions = BenchFunction.all();
        try (EchoServer echo = EchoServer.start();
             ThunkServer server = ThunkServer.start(ServerConfig.defaults(dataDir).withPort(0));
             Deployer deployer = new Deployer(server.endpoint());
             Connections connections = new Connections()) {
            report.server(server.describe());
            List<RoundTrips.Target> targets = new ArrayList<>();
            targets.add(new RoundTrips.Target("floor", connections.open(echo.port()), "/echo"));
            for (BenchFunction function : functions) {
                String name = "warm-" + safeName(function.label());
                deployer.createActive(name, function);
                targets.add(new RoundTrips.Target(name, connections.open(server.port()), invokePath(name)));
            }
            progress.println("warm: the floor and " + functions.size() + " functions: warm-up");
            RoundTrips.warmUp(targets, options.warmup(), deadline);
            progress.println("warm: back to back");
            List<Samples> backToBack = RoundTrips.backToBack(targets, options.requests(), deadline);
            progress.println("warm: interleaved");
            List<Samples> interleaved = RoundTrips.interleaved(targets, options.requests(), deadline);
            report.floor(backToBack.getFirst(), interleaved.getFirst());
            List<String> pools = server.engine().describe();
            for (int i = 0; i < functions.size(); i++) {
                String name = targets.get(i + 1).label();
                report.warm(functions.get(i), backToBack.get(i + 1), interleaved.get(i + 1),
                        environments(pools, name));
                deployer.delete(name);
            }
            Deployer.settle();
            progress.println("cold: " + options.cold() + " per runtime");
            report.cold(ColdStarts.measure(deployer, connections.open(server.port()), functions, options.cold(),
                    deadline));
        }

        RuntimeCatalog catalog = RuntimeCatalog.detect();
        Path java21 = catalog.jdkFor("java21").orElseThrow(() -> new IllegalStateException("no JDK 21+")).executable();
        Path python = catalog.python().orElseThrow(() -> new IllegalStateException("no Python")).executable();
        Path node = catalog.node().orElseThrow(() -> new IllegalStateException("no Node.js")).executable();
        for (ProcessStarts.Command command : ProcessStarts.commands(java21, python, node)) {
            progress.println("process start: " + command.label());
            report.processStart(command.label(), ProcessStarts.time(command, options.starts(), deadline));
        }
        report.elapsed(Duration.ofNanos(System.nanoTime() - started), System.nanoTime() >= deadline);
        return report;
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

    private static void deleteTree(Path root) {
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
