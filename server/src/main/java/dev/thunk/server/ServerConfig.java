package dev.thunk.server;

import dev.thunk.core.Account;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The server's settings, validated once and frozen before anything starts. Built from the command line by
 * {@link #parse}; tests build it directly.
 */
public record ServerConfig(Path dataDir, String host, int port, Account account, int concurrencyLimit,
                           Duration keepAlive, Duration maxLifetime, boolean javaArchives, AsyncOptions async,
                           AccessOptions access, LaunchOptions launch) {

    /**
     * How environments start: from stem cells when one is ready ({@code --no-stem-cells} turns them off), and in
     * the bubblewrap sandbox when it is installed ({@code --sandbox none} runs without it, isolated by process
     * only, as on a machine without bubblewrap).
     */
    public record LaunchOptions(boolean stemCells, boolean bubblewrap) {
        public static LaunchOptions defaults() {
            return new LaunchOptions(true, true);
        }

        public LaunchOptions withStemCells(boolean enabled) {
            return new LaunchOptions(enabled, bubblewrap);
        }

        public LaunchOptions withBubblewrap(boolean enabled) {
            return new LaunchOptions(stemCells, enabled);
        }
    }

    /**
     * Request signing: whether SigV4 signatures are checked (off with {@code --no-auth}), and the other accounts
     * that get a key pair of their own ({@code --add-account ID}), to call in from another account.
     */
    public record AccessOptions(boolean verifySignatures, List<String> otherAccounts) {
        public AccessOptions {
            otherAccounts = List.copyOf(otherAccounts);
            for (String id : otherAccounts) {
                if (!id.matches("\\d{12}")) {
                    throw new IllegalArgumentException("--add-account needs a 12-digit account id: " + id);
                }
            }
        }

        public static AccessOptions defaults() {
            return new AccessOptions(true, List.of());
        }

        public AccessOptions withoutVerification() {
            return new AccessOptions(false, otherAccounts);
        }

        public AccessOptions withOtherAccount(String accountId) {
            List<String> more = new java.util.ArrayList<>(otherAccounts);
            more.add(accountId);
            return new AccessOptions(verifySignatures, more);
        }
    }

    /**
     * The asynchronous path: the wait before a failed event's first retry (AWS: one minute), how many events run at
     * once, the SQS-compatible endpoint queue destinations are sent to (none: queue destinations are refused), and
     * the clock events are aged by.
     */
    public record AsyncOptions(Duration retryBaseDelay, int maxInFlight, Optional<URI> sqsEndpoint, Clock clock) {
        public AsyncOptions {
            if (retryBaseDelay.isNegative()) {
                throw new IllegalArgumentException("--async-retry-delay must not be negative: " + retryBaseDelay);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("--async-concurrency must be positive: " + maxInFlight);
            }
        }

        public static AsyncOptions defaults() {
            return new AsyncOptions(Duration.ofMinutes(1), 64, Optional.empty(), Clock.systemUTC());
        }

        public AsyncOptions withRetryBaseDelay(Duration delay) {
            return new AsyncOptions(delay, maxInFlight, sqsEndpoint, clock);
        }

        public AsyncOptions withSqsEndpoint(URI endpoint) {
            return new AsyncOptions(retryBaseDelay, maxInFlight, Optional.of(endpoint), clock);
        }

        public AsyncOptions withClock(Clock newClock) {
            return new AsyncOptions(retryBaseDelay, maxInFlight, sqsEndpoint, newClock);
        }
    }

    public static final int DEFAULT_PORT = 9000;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(2);

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535: " + port);
        }
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("--keep-alive must not be negative: " + keepAlive);
        }
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("--max-lifetime must be positive: " + maxLifetime);
        }
        if (concurrencyLimit < 100) {
            throw new IllegalArgumentException("--concurrency must be at least 100: " + concurrencyLimit);
        }
        if (access.otherAccounts().contains(account.accountId())) {
            throw new IllegalArgumentException("--add-account names another account than the server's own ("
                    + account.accountId() + ")");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(dataDir, "127.0.0.1", DEFAULT_PORT, new Account("us-east-1", "000000000000"), 1000,
                DEFAULT_KEEP_ALIVE, DEFAULT_MAX_LIFETIME, true, AsyncOptions.defaults(), AccessOptions.defaults(),
                LaunchOptions.defaults());
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(dataDir, host, newPort, account, concurrencyLimit, keepAlive, maxLifetime,
                javaArchives, async, access, launch);
    }

    /** Whether Java functions start from class-data archives the server trains in the background. */
    public ServerConfig withJavaArchives(boolean enabled) {
        return new ServerConfig(dataDir, host, port, account, concurrencyLimit, keepAlive, maxLifetime, enabled,
                async, access, launch);
    }

    public ServerConfig withKeepAlive(Duration newKeepAlive) {
        return new ServerConfig(dataDir, host, port, account, concurrencyLimit, newKeepAlive, maxLifetime,
                javaArchives, async, access, launch);
    }

    public ServerConfig withMaxLifetime(Duration newMaxLifetime) {
        return new ServerConfig(dataDir, host, port, account, concurrencyLimit, keepAlive, newMaxLifetime,
                javaArchives, async, access, launch);
    }

    public ServerConfig withConcurrencyLimit(int limit) {
        return new ServerConfig(dataDir, host, port, account, limit, keepAlive, maxLifetime, javaArchives, async, access,
                launch);
    }

    public ServerConfig withAsync(AsyncOptions options) {
        return new ServerConfig(dataDir, host, port, account, concurrencyLimit, keepAlive, maxLifetime, javaArchives,
                options, access, launch);
    }

    public ServerConfig withLaunch(LaunchOptions options) {
        return new ServerConfig(dataDir, host, port, account, concurrencyLimit, keepAlive, maxLifetime, javaArchives,
                async, access, options);
    }

    public ServerConfig withAccess(AccessOptions options) {
        return new ServerConfig(dataDir, host, port, account, concurrencyLimit, keepAlive, maxLifetime, javaArchives,
                async, options, launch);
    }

    /**
     * Reads {@code --data-dir DIR --port N --host H --region R --account-id ID --concurrency N --keep-alive SECONDS
     * --max-lifetime SECONDS --no-java-archives --async-retry-delay SECONDS --async-concurrency N
     * --sqs-endpoint URL --no-auth --add-account ID --no-stem-cells --sandbox auto|none}.
     */
    public static ServerConfig parse(List<String> args) {
        Path dataDir = Path.of(System.getProperty("user.home"), ".thunk");
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        String region = "us-east-1";
        String accountId = "000000000000";
        int concurrency = 1000;
        Duration keepAlive = DEFAULT_KEEP_ALIVE;
        Duration maxLifetime = DEFAULT_MAX_LIFETIME;
        boolean javaArchives = true;
        AsyncOptions async = AsyncOptions.defaults();
        AccessOptions access = AccessOptions.defaults();
        LaunchOptions launch = LaunchOptions.defaults();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--no-java-archives")) {
                javaArchives = false;
                continue;
            }
            if (flag.equals("--no-stem-cells")) {
                launch = launch.withStemCells(false);
                continue;
            }
            if (flag.equals("--no-auth")) {
                access = access.withoutVerification();
                continue;
            }
            String value = valueOf(args, i, flag).orElse(null);
            switch (flag) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--host" -> host = value;
                case "--port" -> port = integer(flag, value);
                case "--region" -> region = value;
                case "--account-id" -> accountId = value;
                case "--concurrency" -> concurrency = integer(flag, value);
                case "--keep-alive" -> keepAlive = Duration.ofSeconds(integer(flag, value));
                case "--max-lifetime" -> maxLifetime = Duration.ofSeconds(integer(flag, value));
                case "--async-retry-delay" -> async = async.withRetryBaseDelay(seconds(flag, value));
                case "--async-concurrency" -> async = new AsyncOptions(async.retryBaseDelay(), integer(flag, value),
                        async.sqsEndpoint(), async.clock());
                case "--sqs-endpoint" -> async = async.withSqsEndpoint(uri(flag, value));
                case "--add-account" -> access = access.withOtherAccount(value);
                case "--sandbox" -> launch = switch (value) {
                    case "none" -> launch.withBubblewrap(false);
                    case "auto" -> launch.withBubblewrap(true);
                    default -> throw new IllegalArgumentException("--sandbox takes auto or none: " + value);
                };
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
            i++;
        }
        return new ServerConfig(dataDir, host, port, new Account(region, accountId), concurrency, keepAlive,
                maxLifetime, javaArchives, async, access, launch);
    }

    private static Optional<String> valueOf(List<String> args, int i, String flag) {
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return Optional.of(args.get(i + 1));
    }

    /** Seconds, fractions allowed ({@code 0.5}). */
    private static Duration seconds(String flag, String value) {
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number of seconds: " + value);
        }
    }

    private static URI uri(String flag, String value) {
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new URISyntaxException(value, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + " needs an http(s) URL: " + value);
        }
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number: " + value);
        }
    }
}
