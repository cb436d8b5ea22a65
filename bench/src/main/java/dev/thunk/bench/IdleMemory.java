package dev.thunk.bench;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Idle memory per warm environment: {@code n} concurrent invocations of a function that sleeps 300 ms make the
 * pool start {@code n} environments; once every answer is back and the environments have been idle for a moment,
 * the resident set of each environment's process tree is read from {@code /proc} (VmRSS, and Pss, which divides
 * shared pages among the processes that share them).
 */
final class IdleMemory {
    static final Duration IDLE_PAUSE = Duration.ofSeconds(2);

    /** One runtime's environments: their memory in kB, and the command line of the first one. */
    record Result(BenchFunction function, int invoked, int errors, List<Processes.EnvironmentTree> environments) {
        double meanRssMb() {
            return environments.stream().mapToLong(Processes.EnvironmentTree::rssKb).average().orElse(Double.NaN)
                    / 1024.0;
        }

        double minRssMb() {
            return environments.stream().mapToLong(Processes.EnvironmentTree::rssKb).min().orElse(-1) / 1024.0;
        }

        double maxRssMb() {
            return environments.stream().mapToLong(Processes.EnvironmentTree::rssKb).max().orElse(-1) / 1024.0;
        }

        double meanPssMb() {
            return environments.stream().mapToLong(Processes.EnvironmentTree::pssKb).average().orElse(Double.NaN)
                    / 1024.0;
        }

        double totalRssMb() {
            return environments.stream().mapToLong(Processes.EnvironmentTree::rssKb).sum() / 1024.0;
        }

        String command() {
            return environments.isEmpty() ? "" : environments.getFirst().command();
        }
    }

    private IdleMemory() {
    }

    /** Starts {@code n} environments of the function (already Active) and measures them once idle. */
    static Result measure(BenchFunction function, String name, int port, int n) {
        String path = Bench.invokePath(name);
        List<Future<String>> calls = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                calls.add(threads.submit(() -> {
                    try (HttpConnection connection = HttpConnection.open(port, Duration.ofSeconds(30))) {
                        HttpConnection.Response response = connection.post(path, RoundTrips.EMPTY_OBJECT, "");
                        RoundTrips.check(path, response);
                        return null;
                    } catch (IllegalStateException | UncheckedIOException e) {
                        return e.getMessage();
                    }
                }));
            }
        }
        int errors = 0;
        for (Future<String> call : calls) {
            try {
                if (call.get(1, TimeUnit.SECONDS) != null) {
                    errors++;
                }
            } catch (Exception e) {
                errors++;
            }
        }
        Processes.pause(IDLE_PAUSE.toMillis());
        return new Result(function, n, errors, Processes.environments(name));
    }
}
