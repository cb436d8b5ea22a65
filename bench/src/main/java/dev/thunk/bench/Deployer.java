package dev.thunk.bench;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.State;

import java.net.URI;
import java.time.Duration;

/**
 * Creates and deletes the bench's functions through the AWS SDK, as a user would. The control plane's cost is not
 * measured: it happens outside every timed section.
 */
final class Deployer implements AutoCloseable {
    private static final String ROLE = "arn:aws:iam::000000000000:role/thunk-bench";
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final LambdaClient lambda;

    /** Signs with {@code key}, as a user with the server's credentials file would. */
    Deployer(String endpoint, dev.thunk.core.access.AccessKey key) {
        this.lambda = LambdaClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                        key.secretAccessKey())))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /**
     * Creates the function and waits (polling, at most 10 s) until it is Active. Not the SDK's waiter: it pauses a
     * second between polls, and the cold-start section creates dozens of functions.
     */
    void createActive(String name, BenchFunction function) {
        lambda.createFunction(b -> b.functionName(name).runtime(function.runtime()).handler(function.handler())
                .role(ROLE).memorySize(128).timeout(30)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(function.zip()))));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            State state = lambda.getFunctionConfiguration(b -> b.functionName(name)).state();
            if (state == State.ACTIVE) {
                return;
            }
            if (state == State.FAILED || System.nanoTime() > deadline) {
                throw new IllegalStateException("function " + name + " is " + state + ", not Active");
            }
            Processes.pause(5);
        }
    }

    /** Deletes the function; its environments end (see {@link #settle}). */
    void delete(String name) {
        lambda.deleteFunction(b -> b.functionName(name));
    }

    /**
     * Waits (at most 5 s) until this process has no child processes left, so no environment's exit overlaps the
     * next measurement (a class-data training JVM is not an environment and is not waited for, nor is a stem cell
     * still waiting to be bound). Call it when every function whose environments ran has been deleted.
     */
    static void settle() {
        settle(SETTLE);
    }

    /** {@link #settle()} with a longer limit, for many environments. */
    static void settle(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (ProcessHandle.current().children().anyMatch(p -> p.isAlive()
                && !Processes.commandLine(p.pid()).contains("dev.thunk.runtime.java.Train")
                && !Processes.unboundStemCell(p.pid()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("environments still running " + limit.toSeconds()
                        + " s after their functions were deleted: "
                        + ProcessHandle.current().children().map(p -> p.info().command().orElse("?")).toList());
            }
            Processes.pause(2);
        }
    }

    @Override
    public void close() {
        lambda.close();
    }
}
