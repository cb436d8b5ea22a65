package dev.thunk.it;

import dev.thunk.testkit.Await;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server as a separate process (the built {@code thunk-server.jar}), for tests that must kill it with
 * SIGKILL. Its output goes to a file, so a chatty server never blocks on a full pipe.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Thunk listening on (http://[^ ]+)");

    private final Process process;
    private final String endpoint;
    private final Path output;
    private final Path dataDir;

    private ServerProcess(Process process, String endpoint, Path output, Path dataDir) {
        this.process = process;
        this.endpoint = endpoint;
        this.output = output;
        this.dataDir = dataDir;
    }

    /** Starts a server on {@code dataDir} and a free port, with extra command-line options; waits until it listens. */
    static ServerProcess start(Path dataDir, String... options) throws IOException {
        Path jar = Path.of("..", "server", "target", "thunk-server.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the server is built before its end-to-end tests: " + jar);
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "server", "--data-dir", dataDir.toString(), "--port", "0"));
        command.addAll(List.of(options));
        Path output = Files.createTempFile("thunk-server-", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        AtomicReference<String> endpoint = new AtomicReference<>();
        try {
            Await.until("the server says where it listens", Duration.ofSeconds(30), () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited: " + read(output));
                }
                listening(output).ifPresent(endpoint::set);
                return endpoint.get() != null;
            });
        } catch (RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
        return new ServerProcess(process, endpoint.get(), output, dataDir);
    }

    String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    LambdaClient lambda() {
        return LambdaClient.builder().endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                // The key pair the server wrote into its data directory at its first start.
                .credentialsProvider(Signing.profile(dataDir.resolve("aws-credentials"), "thunk"))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build();
    }

    /** SIGKILL: no shutdown hook, no clean stop. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String output() {
        return read(output);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> listening(Path output) {
        Matcher m = LISTENING.matcher(read(output));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
