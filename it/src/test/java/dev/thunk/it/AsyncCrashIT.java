package dev.thunk.it;

import dev.thunk.testkit.Await;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of the asynchronous path: an event that got 202 is never lost. A separate server process takes a
 * stream of 2,000 events from 8 clients and is killed with SIGKILL half-way; a new server on the same data directory
 * must run every acknowledged event (some may run twice: at least once, not exactly once).
 */
class AsyncCrashIT {
    private static final int EVENTS = 2_000;
    private static final int CLIENTS = 8;

    @Test
    void everyAcknowledgedEventRunsAfterAKillAndARestart() throws Exception {
        Path dataDir = Files.createTempDirectory("thunk-crash-");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        try (ServerProcess first = ServerProcess.start(dataDir, "--async-concurrency", "8")) {
            try (LambdaClient lambda = first.lambda()) {
                Functions.createActive(lambda, Invocations.function("crash-recorder", "python3.12", "app.handler",
                        Packages.python("""
                                def handler(event, context):
                                    print('RECORD {"id": "%s"}' % context.aws_request_id)
                                """)).build());
                AtomicInteger next = new AtomicInteger();
                try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                    for (int c = 0; c < CLIENTS; c++) {
                        clients.execute(() -> send(lambda, next, acknowledged, refused));
                    }
                    Await.until("half of the events acknowledged", Duration.ofSeconds(60),
                            () -> acknowledged.size() >= EVENTS / 2);
                    first.kill();
                }
            }
        }
        int sent = acknowledged.size();
        assertTrue(sent >= EVENTS / 2 && sent < EVENTS, "the kill came mid-stream: " + sent + " acknowledged");

        try (ServerProcess second = ServerProcess.start(dataDir, "--async-concurrency", "8")) {
            Await.until("every acknowledged event ran", Duration.ofSeconds(120),
                    () -> ran(dataDir).containsAll(acknowledged));
        }
        Set<String> ran = ran(dataDir);
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(ran);
        assertEquals(Set.of(), lost, "acknowledged events lost");
        delete(dataDir);
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Sends events until the quota is used or the server stops answering. */
    private static void send(LambdaClient lambda, AtomicInteger next, Set<String> acknowledged,
                             AtomicInteger refused) {
        while (next.getAndIncrement() < EVENTS) {
            try {
                InvokeResponse response = lambda.invoke(b -> b.functionName("crash-recorder")
                        .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{\"n\":1}")));
                if (response.statusCode() == 202) {
                    acknowledged.add(response.responseMetadata().requestId());
                }
            } catch (RuntimeException e) {
                // The server was killed: this event was never acknowledged, so it may be lost.
                refused.incrementAndGet();
                return;
            }
        }
    }

    /** The request ids the function recorded (see {@link Records}), in every environment's log. */
    private static Set<String> ran(Path dataDir) {
        Set<String> ids = new HashSet<>();
        Records.of(dataDir, "crash-recorder").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }
}
