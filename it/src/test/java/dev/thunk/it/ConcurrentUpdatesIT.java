package dev.thunk.it;

import dev.thunk.testkit.Await;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent writers of one function lose nothing: each writer reads a counter from the description and writes it
 * back incremented, guarded by RevisionId. If any accepted write were lost, the final counter would fall short of
 * the number of accepted writes.
 */
class ConcurrentUpdatesIT {
    private static final int WRITERS = 4;
    private static final int WRITES_EACH = 5;

    @Test
    void guardedIncrementsFromConcurrentWritersAllLand() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Functions.provided("counter").description("0").build());
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    writers.add(pool.submit(() -> {
                        int mine = 0;
                        while (mine < WRITES_EACH) {
                            var current = lambda.getFunctionConfiguration(b -> b.functionName("counter"));
                            int next = Integer.parseInt(current.description()) + 1;
                            try {
                                lambda.updateFunctionConfiguration(b -> b.functionName("counter")
                                        .revisionId(current.revisionId()).description(Integer.toString(next)));
                                accepted.incrementAndGet();
                                mine++;
                            } catch (PreconditionFailedException | ResourceConflictException e) {
                                refused.incrementAndGet();
                            }
                            Await.until("counter settled", Duration.ofSeconds(30), () -> lambda
                                    .getFunctionConfiguration(b -> b.functionName("counter"))
                                    .lastUpdateStatus() != LastUpdateStatus.IN_PROGRESS);
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
            }
            assertEquals(WRITERS * WRITES_EACH, accepted.get());
            assertEquals(Integer.toString(accepted.get()),
                    lambda.getFunctionConfiguration(b -> b.functionName("counter")).description(),
                    "every accepted write is reflected (" + refused.get() + " stale writes were refused)");
            assertTrue(refused.get() >= 0);
        }
    }
}
