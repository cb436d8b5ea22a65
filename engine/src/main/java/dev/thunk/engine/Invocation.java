package dev.thunk.engine;

import dev.thunk.core.FunctionVersion;
import dev.thunk.core.invoke.InvocationResult;
import dev.thunk.core.invoke.ResponseObserver;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One invocation on its way through the engine: what to run, and the future its caller waits on. The future is
 * completed exactly once, by whichever ending comes first (answer, error, timeout, crash).
 */
final class Invocation {
    final String requestId;
    final FunctionVersion function;
    final String invokedArn;
    final byte[] payload;
    final Optional<String> clientContext;
    final boolean tailLog;
    final String traceId;
    /** The caller's, when it takes a streamed answer as it comes (InvokeWithResponseStream). */
    final Optional<ResponseObserver> observer;
    final CompletableFuture<InvocationResult> result = new CompletableFuture<>();

    Invocation(String requestId, FunctionVersion function, String invokedArn, byte[] payload,
               Optional<String> clientContext, boolean tailLog) {
        this(requestId, function, invokedArn, payload, clientContext, tailLog, Optional.empty());
    }

    Invocation(String requestId, FunctionVersion function, String invokedArn, byte[] payload,
               Optional<String> clientContext, boolean tailLog, Optional<ResponseObserver> observer) {
        this.requestId = requestId;
        this.function = function;
        this.invokedArn = invokedArn;
        this.payload = payload;
        this.clientContext = clientContext;
        this.tailLog = tailLog;
        this.traceId = newTraceId();
        this.observer = observer;
    }

    /** An X-Ray style trace header: {@code Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0}. */
    private static String newTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        random.nextBytes(root);
        random.nextBytes(parent);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + HexFormat.of().formatHex(root)
                + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
    }
}
