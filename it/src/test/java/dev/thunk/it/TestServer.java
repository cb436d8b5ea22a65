package dev.thunk.it;

import dev.thunk.server.ServerConfig;
import dev.thunk.server.ThunkServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real Thunk server on a free port over a temporary data directory, and AWS SDK clients pointed at it.
 * {@link #restart} stops it and starts a new server on the same data directory.
 */
final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private ThunkServer server;

    private TestServer(Path dataDir) {
        this.dataDir = dataDir;
        this.server = ThunkServer.start(ServerConfig.defaults(dataDir).withPort(0));
    }

    static TestServer start() {
        try {
            return new TestServer(Files.createTempDirectory("thunk-it-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void restart() {
        server.close();
        server = ThunkServer.start(ServerConfig.defaults(dataDir).withPort(0));
    }

    String endpoint() {
        return server.endpoint();
    }

    LambdaClient lambda() {
        return LambdaClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                // Retries would hide a wrong answer behind a second try; tests want the first one.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
