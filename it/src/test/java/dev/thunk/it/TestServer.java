package dev.thunk.it;

import dev.thunk.server.ServerConfig;
import dev.thunk.server.ThunkServer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real Thunk server on a free port over a temporary data directory, and AWS SDK clients pointed at it, signing
 * with the key pair the server wrote into its data directory (profile {@code thunk}). {@link #restart} stops it and
 * starts a new server on the same data directory.
 */
final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final ServerConfig config;
    private ThunkServer server;

    private TestServer(Path dataDir, UnaryOperator<ServerConfig> settings) {
        this.dataDir = dataDir;
        // Archive training (tested in the engine) would cost every test server seconds of CPU.
        this.config = settings.apply(ServerConfig.defaults(dataDir).withPort(0).withJavaArchives(false));
        this.server = ThunkServer.start(config);
    }

    static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /** A server whose default configuration is changed by {@code settings} (keep-alive, concurrency...). */
    static TestServer start(UnaryOperator<ServerConfig> settings) {
        try {
            return new TestServer(Files.createTempDirectory("thunk-it-"), settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void restart() {
        server.close();
        server = ThunkServer.start(config);
    }

    String endpoint() {
        return server.endpoint();
    }

    /** A client signing as the server's own account. */
    LambdaClient lambda() {
        return lambda(credentials("thunk"));
    }

    /** The credentials of a profile of the server's credentials file ({@code thunk}, {@code thunk-<account>}). */
    AwsCredentialsProvider credentials(String profile) {
        return Signing.profile(dataDir.resolve("aws-credentials"), profile);
    }

    /** The server's own account's key pair, for requests signed by hand. */
    AwsCredentialsIdentity identity() {
        return credentials("thunk").resolveCredentials();
    }

    LambdaClient lambda(AwsCredentialsProvider credentials) {
        return LambdaClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                // Retries would hide a wrong answer behind a second try; tests want the first one.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                // Bursts of hundreds of concurrent invocations need as many connections.
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(400))
                .build();
    }

    /** The SDK's asynchronous client, signing as the server's own account: InvokeWithResponseStream needs it. */
    software.amazon.awssdk.services.lambda.LambdaAsyncClient lambdaAsync() {
        return lambdaAsync(credentials("thunk"));
    }

    software.amazon.awssdk.services.lambda.LambdaAsyncClient lambdaAsync(AwsCredentialsProvider credentials) {
        return software.amazon.awssdk.services.lambda.LambdaAsyncClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder())
                .build();
    }

    /** The server's start-up report: runtimes, sandbox, memory limits. */
    java.util.List<String> describe() {
        return server.describe();
    }

    /** The engine's pools, one line each: {@code function=, version=, total=, idle=, ..., provisioned=}. */
    java.util.List<String> pools() {
        return server.engine().describe();
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.close();
        // No process of the server may outlive it: stopping it ends every environment and stem cell.
        dev.thunk.testkit.Await.until("every process of the server on " + dataDir + " is gone",
                java.time.Duration.ofSeconds(10), () -> EnvironmentProcesses.under(dataDir).isEmpty());
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
