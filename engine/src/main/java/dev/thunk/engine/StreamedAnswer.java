package dev.thunk.engine;

import dev.thunk.engine.runtimeapi.Answer;
import dev.thunk.engine.runtimeapi.RuntimeApiServer;
import dev.thunk.engine.runtimeapi.StreamedResponse;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One invocation's answer as its runtime streams it. A caller of InvokeWithResponseStream gets each chunk as it
 * arrives (no faster than it reads them), up to AWS's 20 MiB for a streamed response; any other caller (Invoke, an
 * asynchronous event) gets the whole answer at its end, up to the usual 6 MB, as AWS buffers a streaming function's
 * answer for them. A function that fails after it began to stream ends as an error like any other. Chunks that
 * arrive once the invocation has ended (a timeout) are not passed on; a chunk racing the end on another thread (the
 * process exiting) is dropped by the caller's side, which sends nothing after the end.
 */
final class StreamedAnswer implements StreamedResponse {
    /** AWS's limit on a streamed response. */
    private static final long STREAMED_LIMIT = 20L * 1024 * 1024;

    private final Environment environment;
    private final Invocation invocation;
    private final long limit;
    private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
    private long size;
    private CompletionStage<Void> ready = CompletableFuture.completedFuture(null);

    StreamedAnswer(Environment environment, Invocation invocation) {
        this.environment = environment;
        this.invocation = invocation;
        this.limit = invocation.observer.isPresent() ? STREAMED_LIMIT : RuntimeApiServer.MAX_RESPONSE;
    }

    @Override
    public boolean chunk(byte[] bytes) {
        if (invocation.result.isDone()) {
            ready = CompletableFuture.completedFuture(null); // nobody waits for these bytes any more
            return true;
        }
        size += bytes.length;
        if (size > limit) {
            environment.streamOverLimit(invocation.requestId, limit);
            return false;
        }
        if (invocation.observer.isPresent()) {
            ready = invocation.observer.get().chunk(bytes);
        } else {
            buffered.writeBytes(bytes);
        }
        return true;
    }

    @Override
    public CompletionStage<Void> readyForMore() {
        return ready;
    }

    @Override
    public void aborted() {
        environment.streamAborted(invocation.requestId);
    }

    @Override
    public Answer end(Optional<String> errorType, Optional<byte[]> errorBody) {
        // A streaming caller has had every byte already; the result carries none twice.
        return environment.streamEnded(invocation.requestId, buffered.toByteArray(), errorType, errorBody);
    }
}
