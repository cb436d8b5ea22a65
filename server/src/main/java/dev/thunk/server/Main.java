package dev.thunk.server;

import dev.thunk.cli.Cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code thunk} command. {@code thunk server [options]} runs the server until Ctrl-C or SIGTERM. This is the
 * only place that exits the process.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        String command = args.length == 0 ? "help" : args[0];
        try {
            switch (command) {
                case "server" -> runServer(rest);
                case "help", "--help", "-h" -> usage();
                default -> System.exit(Cli.run(Arrays.asList(args), System.out, System.err));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("thunk: " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException e) {
            System.err.println("thunk: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void runServer(List<String> args) {
        ServerConfig config = ServerConfig.parse(args);
        ThunkServer server = ThunkServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Thunk stopping");
            server.close();
            stopped.countDown();
        }, "thunk-shutdown"));
        server.describe().forEach(line -> System.out.println("  " + line));
        if (config.access().verifySignatures()) {
            System.out.println("  access key id " + server.ownKey().accessKeyId() + ", secret access key "
                    + server.ownKey().secretAccessKey() + " (account " + config.account().accountId() + ")");
            System.out.println("  AWS CLI: AWS_SHARED_CREDENTIALS_FILE=" + server.credentialsFile()
                    + " aws --profile thunk --region " + config.account().region() + " --endpoint-url "
                    + server.endpoint() + " lambda list-functions");
        } else {
            System.err.println("WARNING: request signing is OFF (--no-auth): every request is accepted as account "
                    + config.account().accountId() + ". Only use this on a machine nobody else can reach.");
        }
        System.out.println("Thunk listening on " + server.endpoint() + " (data directory " + config.dataDir()
                + ", region " + config.account().region() + ", account " + config.account().accountId() + ")");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usage() {
        System.out.println("""
                usage: thunk <command> [options]
                  server   run the server: --data-dir DIR (default ~/.thunk), --port N (default 9000),
                           --host H, --region R, --account-id ID, --concurrency N,
                           --keep-alive SECONDS (how long idle environments stay warm, default 300; 0: always cold),
                           --max-lifetime SECONDS (when any environment is replaced, default 7200),
                           --no-java-archives (start Java functions without class-data archives),
                           --no-stem-cells (every cold start starts a process; default: Python, Node.js and
                           Java cold starts bind a runtime process started ahead of need),
                           --sandbox auto|none (auto: bubblewrap when installed; none: isolation by process only),
                           --async-retry-delay SECONDS (before a failed event's first retry, default 60),
                           --async-concurrency N (asynchronous events running at once, default 64),
                           --sqs-endpoint URL (SQS-compatible server for queue destinations and DLQs),
                           --no-auth (accept unsigned requests: no SigV4 check at all; says so loudly),
                           --add-account ID (another account with its own key pair, profile thunk-ID,
                           to call in from another account; repeatable)
                  test     run the whole test suite (handled by the ./thunk script)
                """ + Cli.usage());
    }
}
