package dev.thunk.engine;

import dev.thunk.core.invoke.InvocationResult;
import dev.thunk.engine.launch.MemoryLimits;
import dev.thunk.engine.logs.LogStream;
import dev.thunk.engine.runtimeapi.Answer;
import dev.thunk.engine.runtimeapi.NextCall;
import dev.thunk.engine.runtimeapi.NextEvent;
import dev.thunk.engine.runtimeapi.RuntimeApi;
import dev.thunk.engine.runtimeapi.RuntimeApiServer;
import dev.thunk.engine.runtimeapi.StreamStart;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One execution environment: a runtime process, its Runtime API listener and its log stream. Its state is a closed
 * set changed only under its pool's lock:
 *
 * <pre>
 * STARTING --first /next--> IDLE --dispatch--> BUSY --/response or /error--> ANSWERED --/next--> IDLE ...
 *     any state --crash, timeout, init error, retirement--> DEAD (never leaves; the process is killed)
 * </pre>
 *
 * A timed-out, crashed or failed environment is never reused. Every ending of an invocation writes END and REPORT
 * lines and completes the caller's future exactly once. A provisioned environment is started ahead of need for one
 * provisioned concurrency configuration: it is never ended for being idle, and its REPORT lines show no init
 * duration (its init was not part of any invocation, as in AWS).
 */
final class Environment implements RuntimeApi {
    private static final Logger LOG = Logger.getLogger(Environment.class.getName());

    enum State { STARTING, IDLE, BUSY, ANSWERED, DEAD }

    static final long INIT_LIMIT_MS = 10_000;
    static final long ANSWERED_GRACE_MS = 1_000;
    private static final java.util.regex.Pattern ERROR_TYPE =
            java.util.regex.Pattern.compile("\"errorType\"\\s*:\\s*\"([^\"]*)\"");

    final String id;
    /** The qualifier of the provisioned concurrency configuration this environment serves; empty: on demand. */
    final Optional<String> provisionedFor;
    private final FunctionPool pool;
    private final LogStream log;
    private final Vertx vertx;
    private final long createdNanos = System.nanoTime();

    // Guarded by pool.lock.
    private State state = State.STARTING;
    private Process process;
    private ProcessMemory memory;
    private Optional<MemoryLimits.Cgroup> cgroup = Optional.empty();
    private RuntimeApiServer api;
    private Invocation current;
    private NextCall parked;
    private long currentStartNanos;
    private long currentStartMillis;
    private long currentLogOffset;
    private long timer = -1;
    private double initDurationMs = -1;
    private boolean initReported;
    private boolean retired;
    private boolean initTimedOut;
    /** The current invocation's answer is being streamed; only the stream's end may answer it. */
    private boolean streaming;
    private long idleSinceNanos;
    /** A provisioned environment past its lifetime, serving until its replacement is initialised. */
    private boolean replacing;
    /** Completed once the init is over: the first {@code /next}, or the end of the process before it. */
    private final java.util.concurrent.CompletableFuture<Void> initEnded = new java.util.concurrent.CompletableFuture<>();
    /** Completed once the environment is over: its process ended, or it never started. */
    private final java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();

    Environment(String id, Optional<String> provisionedFor, FunctionPool pool, LogStream log, Vertx vertx) {
        this.id = id;
        this.provisionedFor = provisionedFor;
        this.pool = pool;
        this.log = log;
        this.vertx = vertx;
    }

    /** A new environment (or stem cell) id: 32 hex digits. */
    static String newId() {
        byte[] id = new byte[16];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(id);
        return java.util.HexFormat.of().formatHex(id);
    }

    /** Completes (on any thread) when the init is over, successfully or not. */
    java.util.concurrent.CompletionStage<Void> initEnded() {
        return initEnded;
    }

    /** Completes (on any thread) when the environment is over: its process ended, or could not be started. */
    java.util.concurrent.CompletionStage<Void> ended() {
        return ended;
    }

    LogStream log() {
        return log;
    }

    /**
     * Binds the started process and listener, and arms the init deadline: AWS gives init 10 seconds, then retries it
     * within the invocation's own timeout, so a runtime that has not asked for work by then never will.
     */
    void attach(Process process, RuntimeApiServer api, Optional<MemoryLimits.Cgroup> cgroup) {
        pool.lock.lock();
        try {
            this.cgroup = cgroup;
            this.process = process;
            this.memory = new ProcessMemory(process.pid(), cgroup.map(MemoryLimits.Cgroup::procs));
            this.api = api;
            // On a loaded machine the runtime can reach /next, and the environment be retired or stopped, before
            // the thread that started the process gets here: then the process was not there to be killed.
            if (state == State.DEAD) {
                kill();
            } else if (state == State.STARTING) {
                long initLimitMs = INIT_LIMIT_MS + pool.function.config().timeout() * 1000L;
                timer = vertx.setTimer(initLimitMs, ignored -> initTimedOut());
            }
        } finally {
            pool.lock.unlock();
        }
        process.onExit().thenAccept(p -> exited(p.exitValue()));
    }

    /**
     * This environment's process could not be started (no process will ever exit to end it): {@code victim}, the
     * invocation that waited for it if any, gets START, END and REPORT lines in its log like every invocation, and
     * the log is closed. Returns the victim's result, with its log tail if it asked for one.
     */
    Optional<InvocationResult> launchFailed(Optional<Invocation> victim, String reason) {
        pool.lock.lock();
        try {
            state = State.DEAD;
            cancelTimer();
            kill(); // a process attached already (a failure after attach) must not outlive its environment
            return victim.map(v -> loggedOrNot(v, reason));
        } finally {
            try {
                log.close();
            } catch (RuntimeException e) {
                // The log is beyond writing (a full disk can be why the start failed): the result stands.
            }
            pool.lock.unlock();
            initEnded.complete(null);
            ended.complete(null);
        }
    }

    /** The victim's failure, logged when the log can still be written. Under the pool lock. */
    private InvocationResult loggedOrNot(Invocation victim, String reason) {
        try {
            return failBeforeDispatchLocked(victim, START_FAILED, PlatformErrors.startFailed(victim.requestId, reason));
        } catch (RuntimeException e) {
            return startFailure(victim, reason);
        }
    }

    /** An invocation whose environment could not be started, without a log tail. */
    static InvocationResult startFailure(Invocation victim, String reason) {
        return failure(victim, START_FAILED, PlatformErrors.startFailed(victim.requestId, reason));
    }

    private void neverReturned() {
        pool.lock.lock();
        try {
            timer = -1;
            if (state == State.ANSWERED) {
                kill();
            }
        } finally {
            pool.lock.unlock();
        }
    }

    private void initTimedOut() {
        pool.lock.lock();
        try {
            timer = -1;
            if (state == State.STARTING) {
                initTimedOut = true;
                kill();
            }
        } finally {
            pool.lock.unlock();
        }
    }

    State state() {
        return state;
    }

    long idleNanos(long now) {
        return state == State.IDLE ? now - idleSinceNanos : 0;
    }

    long ageNanos(long now) {
        return now - createdNanos;
    }

    /** Under the pool lock: past its init and alive, so able to take invocations now or after the current one. */
    boolean initialisedLocked() {
        return state == State.IDLE || state == State.BUSY || state == State.ANSWERED;
    }

    /** Under the pool lock: will end once idle (its function changed, or its configuration shrank). */
    boolean retiredLocked() {
        return retired;
    }

    /** Under the pool lock: counts toward its configuration (not retired, not waiting to be replaced). */
    boolean servesConfigurationLocked() {
        return provisionedFor.isPresent() && !retired && !replacing && state != State.DEAD;
    }

    boolean replacingLocked() {
        return replacing;
    }

    /** Under the pool lock: this provisioned environment outlived its lifetime; a replacement is started. */
    void replaceLocked() {
        replacing = true;
    }

    // ---- Runtime API ---------------------------------------------------------------------------------------

    @Override
    public void next(NextCall call) {
        Invocation dispatched = null;
        boolean initialised = false;
        pool.lock.lock();
        try {
            switch (state) {
                case STARTING -> {
                    initialised = true;
                    initDurationMs = (System.nanoTime() - createdNanos) / 1e6;
                    cancelTimer();
                    pool.started(this);
                }
                case ANSWERED -> {
                    cancelTimer();
                    pool.returned();
                    if (!pool.keepsIdle && provisionedFor.isEmpty()) {
                        // Always cold: an environment serves one invocation, then ends.
                        state = State.DEAD;
                        kill();
                        return;
                    }
                }
                case BUSY -> {
                    call.reject(Answer.invalidState("The runtime asked for a new invocation before answering "
                            + current.requestId));
                    return;
                }
                case IDLE -> {
                    if (parked != null && parked.open()) {
                        call.reject(Answer.invalidState("This environment already waits for an invocation"));
                        return;
                    }
                    // The connection of its earlier long poll is gone (the runtime asks again on a new one after
                    // losing it): this call takes that one's place.
                    pool.unparked(this);
                }
                case DEAD -> {
                    call.reject(Answer.invalidState("This environment has ended"));
                    return;
                }
            }
            state = State.IDLE;
            idleSinceNanos = System.nanoTime();
            parked = call;
            dispatched = pool.nextFor(this);
            if (dispatched == null && retired) {
                state = State.DEAD;
                kill();
            }
        } finally {
            pool.lock.unlock();
        }
        if (dispatched != null) {
            deliver(call, dispatched);
        }
        if (initialised) {
            initEnded.complete(null);
        }
    }


    @Override
    public Answer response(String requestId, byte[] body) {
        return answer(requestId, false, success(body));
    }

    @Override
    public Answer responseTooLarge(String requestId) {
        return answer(requestId, false, tooLarge(RuntimeApiServer.MAX_RESPONSE));
    }

    @Override
    public Answer error(String requestId, String errorType, byte[] body) {
        return answer(requestId, false, functionError(errorType, body));
    }

    /**
     * The runtime begins to stream its answer: the caller hears of it at once (InvokeWithResponseStream), and
     * until the stream ends no other answer is taken for the invocation.
     */
    @Override
    public StreamStart streamResponse(String requestId, String contentType) {
        Invocation invocation;
        pool.lock.lock();
        try {
            Optional<Answer> refusal = refusalLocked(requestId, false);
            if (refusal.isPresent()) {
                return new StreamStart.Refused(refusal.get());
            }
            streaming = true;
            invocation = current;
        } finally {
            pool.lock.unlock();
        }
        invocation.observer.ifPresent(observer -> observer.streamStarted(contentType, invocation.function.version()));
        return new StreamStart.Open(new StreamedAnswer(this, invocation));
    }

    /** The streamed answer ended: whole ({@code body} for a caller that waited for it whole) or failed. */
    Answer streamEnded(String requestId, byte[] body, Optional<String> errorType, Optional<byte[]> errorBody) {
        return answer(requestId, true, errorType.isPresent() || errorBody.isPresent()
                ? functionError(errorType.orElse(""), errorBody.orElse(new byte[0]))
                : success(body));
    }

    /**
     * The streamed answer broke off before its end: the invocation stays in progress, and the runtime may answer it
     * otherwise ({@code /error}), exit, or run into the timeout.
     */
    void streamAborted(String requestId) {
        pool.lock.lock();
        try {
            if (refusalLocked(requestId, true).isEmpty()) {
                streaming = false;
            }
        } finally {
            pool.lock.unlock();
        }
    }

    /** The streamed answer passed {@code limit} bytes: the invocation fails. */
    Answer streamOverLimit(String requestId, long limit) {
        return answer(requestId, true, tooLarge(limit));
    }

    private static java.util.function.Function<Invocation, InvocationResult> success(byte[] body) {
        return inv -> new InvocationResult.Success(inv.requestId, inv.function.version(), body, Optional.empty());
    }

    private static java.util.function.Function<Invocation, InvocationResult> tooLarge(long limit) {
        return inv -> failure(inv, "Function.ResponseSizeTooLarge", PlatformErrors.responseTooLarge(limit));
    }

    /** The function's error as its runtime reported it; the type from the header, else from the body. */
    private static java.util.function.Function<Invocation, InvocationResult> functionError(String errorType,
                                                                                          byte[] body) {
        String type = PlatformErrors.normalise(errorType.isEmpty() ? typeIn(body).orElse("") : errorType);
        byte[] payload = body.length == 0 ? PlatformErrors.payload(type, "") : body;
        return inv -> failure(inv, type, payload);
    }

    @Override
    public Answer initError(String errorType, byte[] body) {
        Invocation failed;
        InvocationResult result = null;
        pool.lock.lock();
        try {
            if (state != State.STARTING) {
                return Answer.invalidState("Init errors can only be reported before the first /next");
            }
            state = State.DEAD;
            initDurationMs = (System.nanoTime() - createdNanos) / 1e6;
            failed = pool.initFailed(this);
            if (failed != null) {
                String type = PlatformErrors.normalise(errorType.isEmpty() ? typeIn(body).orElse("") : errorType);
                byte[] payload = body.length == 0 ? PlatformErrors.payload(type, "") : body;
                result = failBeforeDispatchLocked(failed, type, payload);
            }
            kill();
        } finally {
            pool.lock.unlock();
        }
        if (failed != null) {
            complete(failed, result);
        }
        return Answer.ACCEPTED;
    }

    // ---- Engine side ---------------------------------------------------------------------------------------

    /** True if this environment waits in /next on a live connection, with a live process. Under the pool lock. */
    boolean readyLocked() {
        return state == State.IDLE && parked != null && parked.open() && process != null && process.isAlive();
    }

    /**
     * Marks this IDLE environment busy with an invocation and returns the parked /next to deliver it through
     * (after the pool lock is released). Called under the pool lock.
     */
    NextCall dispatchLocked(Invocation invocation) {
        NextCall call = parked;
        parked = null;
        state = State.BUSY;
        current = invocation;
        currentStartNanos = System.nanoTime();
        currentStartMillis = System.currentTimeMillis();
        currentLogOffset = log.append("START RequestId: " + invocation.requestId + " Version: "
                + invocation.function.version() + "\n");
        int timeout = invocation.function.config().timeout();
        timer = vertx.setTimer(timeout * 1000L, ignored -> timedOut(invocation));
        return call;
    }

    void deliver(NextCall call, Invocation invocation) {
        long deadline = currentStartMillis + invocation.function.config().timeout() * 1000L;
        call.deliver(new NextEvent(invocation.requestId, deadline, invocation.invokedArn, invocation.traceId,
                invocation.clientContext, invocation.payload));
    }

    /** The function's code or configuration changed: end now if idle, else after the current invocation. */
    void retire() {
        pool.lock.lock();
        try {
            retired = true;
            if (state == State.IDLE) {
                state = State.DEAD;
                kill();
            }
        } finally {
            pool.lock.unlock();
        }
    }

    /** Ends the environment whatever it is doing (server stop). */
    void destroy() {
        Invocation interrupted;
        pool.lock.lock();
        try {
            interrupted = state == State.BUSY ? current : null;
            state = State.DEAD;
            kill();
        } finally {
            pool.lock.unlock();
        }
        if (interrupted != null) {
            interrupted.result.complete(failure(interrupted, "Runtime.ExitError",
                    PlatformErrors.exited(interrupted.requestId, 128 + 9)));
        }
    }

    private void timedOut(Invocation invocation) {
        InvocationResult result;
        pool.lock.lock();
        try {
            if (state != State.BUSY || current != invocation) {
                return;
            }
            state = State.DEAD;
            timer = -1;
            // The REPORT measures the process, so it is written before the process is killed.
            log.append(PlatformErrors.timedOutLogLine(invocation.requestId, invocation.function.config().timeout(),
                    java.time.Instant.now()));
            result = finishLocked(invocation, failure(invocation, "Sandbox.Timedout",
                    PlatformErrors.timedOut(invocation.requestId, invocation.function.config().timeout())), Ending.TIMEOUT);
            kill();
        } finally {
            pool.lock.unlock();
        }
        complete(invocation, result);
    }

    private void exited(int exitValue) {
        Invocation failed = null;
        InvocationResult result = null;
        pool.lock.lock();
        try {
            State before = state;
            state = State.DEAD;
            pool.removed(this);
            if (before == State.ANSWERED) {
                pool.returned();
            }
            boolean outOfMemory = cgroup.map(MemoryLimits.Cgroup::oomKilled).orElse(false);
            if (before == State.BUSY) {
                failed = current;
                InvocationResult.Failure failure = outOfMemory
                        ? failure(current, "Runtime.OutOfMemory", PlatformErrors.outOfMemory(current.requestId, exitValue))
                        : failure(current, "Runtime.ExitError", PlatformErrors.exited(current.requestId, exitValue));
                log.append(PlatformErrors.logLines(failure.errorType(), failure.payload()));
                result = finishLocked(current, failure, outOfMemory ? Ending.OUT_OF_MEMORY : Ending.NORMAL);
            } else if (before == State.STARTING) {
                initDurationMs = (System.nanoTime() - createdNanos) / 1e6;
                failed = pool.initFailed(this);
                if (failed != null) {
                    result = initTimedOut
                            ? failBeforeDispatchLocked(failed, "Sandbox.Timedout",
                                    PlatformErrors.timedOut(failed.requestId, failed.function.config().timeout()))
                            : failBeforeDispatchLocked(failed, "Runtime.ExitError",
                                    PlatformErrors.exited(failed.requestId, exitValue));
                }
            }
            parked = null;
            cancelTimer();
            // Last write to the stream: every other writer checks the state under this lock first, but for
            // complete(), whose held-back lines this writes if it has not yet (it then finds the stream closed).
            log.close();
        } finally {
            pool.lock.unlock();
        }
        cgroup.ifPresent(MemoryLimits.Cgroup::remove);
        if (api != null) {
            api.close();
        }
        if (failed != null) {
            failed.result.complete(result);
        }
        initEnded.complete(null);
        ended.complete(null);
        pool.afterExit();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * Ends the current invocation with the runtime's answer, unless it is not this environment's current one, or a
     * streamed answer is open and this is not its end ({@code fromStream}).
     */
    private Answer answer(String requestId, boolean fromStream,
                          java.util.function.Function<Invocation, InvocationResult> outcome) {
        Invocation invocation;
        InvocationResult result;
        pool.lock.lock();
        try {
            Optional<Answer> refusal = refusalLocked(requestId, fromStream);
            if (refusal.isPresent()) {
                return refusal.get();
            }
            invocation = current;
            state = State.ANSWERED;
            result = finishLocked(invocation, outcome.apply(invocation), Ending.NORMAL);
            pool.answered();
            // Work after the answer (a Node.js event loop draining) still counts against the invocation's time;
            // a runtime that never asks for more work is ended so that waiting invocations get another.
            long deadline = currentStartMillis + invocation.function.config().timeout() * 1000L;
            long grace = Math.max(ANSWERED_GRACE_MS, deadline - System.currentTimeMillis());
            timer = vertx.setTimer(grace, ignored -> neverReturned());
        } finally {
            pool.lock.unlock();
        }
        complete(invocation, result);
        return Answer.ACCEPTED;
    }

    /**
     * Gives the caller its result, then writes the invocation's END and REPORT, held back by {@link #finishLocked}
     * so that they are not between the function's answer and the caller's.
     */
    private void complete(Invocation invocation, InvocationResult result) {
        invocation.result.complete(result);
        try {
            log.writeHeldBack();
        } catch (java.io.UncheckedIOException e) {
            // The caller has its answer and the runtime is owed one: a log that cannot be written loses the lines.
            LOG.log(Level.WARNING, "environment " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why an answer for {@code requestId} is refused now, if it is: not the invocation in progress here, or one
     * whose streamed answer is open when this is not that stream's end. Under the pool lock.
     */
    private Optional<Answer> refusalLocked(String requestId, boolean fromStream) {
        if (state != State.BUSY || !current.requestId.equals(requestId)) {
            return Optional.of(requestId.length() > 64 || requestId.isBlank()
                    ? Answer.error(400, "InvalidRequestID", "Invalid request ID")
                    : Answer.invalidState("Invocation " + requestId + " is not in progress in this environment"));
        }
        if (streaming != fromStream) {
            return Optional.of(Answer.invalidState(streaming
                    ? "The response of invocation " + requestId + " is being streamed"
                    : "No response of invocation " + requestId + " is being streamed"));
        }
        return Optional.empty();
    }

    /** How an invocation ended, for the REPORT line's status. */
    private enum Ending { NORMAL, TIMEOUT, OUT_OF_MEMORY }

    /** {@code %.2f} without a Formatter, which costs more than the rest of the REPORT line on the hot path. */
    static String twoDecimals(double value) {
        long hundredths = Math.round(value * 100);
        long fraction = Math.abs(hundredths % 100);
        return (hundredths < 0 && hundredths > -100 ? "-" : "") + hundredths / 100 + (fraction < 10 ? ".0" : ".")
                + fraction;
    }

    /**
     * Writes END and REPORT, attaches the log tail if asked, and frees the environment of the invocation. Without a
     * tail, the two lines are held back for {@link #complete} to write after the caller's answer; reading the tail
     * writes them at once.
     */
    private InvocationResult finishLocked(Invocation invocation, InvocationResult result, Ending ending) {
        cancelTimer();
        current = null;
        streaming = false;
        long durationNanos = System.nanoTime() - currentStartNanos;
        double durationMs = durationNanos / 1e6;
        long memoryMb = memory == null ? 0 : memory.peakMegabytes(durationNanos);
        StringBuilder report = new StringBuilder()
                .append("END RequestId: ").append(invocation.requestId).append('\n')
                .append("REPORT RequestId: ").append(invocation.requestId)
                .append("\tDuration: ").append(twoDecimals(durationMs)).append(" ms")
                .append("\tBilled Duration: ").append((long) Math.ceil(durationMs)).append(" ms")
                .append("\tMemory Size: ").append(invocation.function.config().memorySize()).append(" MB")
                .append("\tMax Memory Used: ").append(memoryMb).append(" MB");
        if (!initReported && initDurationMs >= 0 && provisionedFor.isEmpty()) {
            report.append("\tInit Duration: ").append(twoDecimals(initDurationMs)).append(" ms");
            initReported = true;
        }
        switch (ending) {
            case TIMEOUT -> report.append("\tStatus: timeout");
            case OUT_OF_MEMORY -> report.append("\tStatus: error\tError Type: Runtime.OutOfMemory");
            case NORMAL -> { }
        }
        report.append("\t\n");
        // Written once the caller has its answer (complete), or by whatever touches the stream first: the tail below.
        log.closeInvocationLater(report.toString(), currentLogOffset, currentStartMillis, System.currentTimeMillis());
        if (!invocation.tailLog) {
            return result;
        }
        Optional<String> tail = Optional.of(Base64.getEncoder().encodeToString(log.tail(currentLogOffset, 4096)));
        return switch (result) {
            case InvocationResult.Success s -> new InvocationResult.Success(s.requestId(), s.executedVersion(),
                    s.payload(), tail);
            case InvocationResult.Failure f -> new InvocationResult.Failure(f.requestId(), f.executedVersion(),
                    f.errorType(), f.payload(), tail);
        };
    }

    /**
     * An invocation that never reached a runtime (its environment failed to start, or its runtime failed before its
     * first {@code /next}) still gets a log entry, with the error between START and END as AWS writes it: the
     * message, then the type. Under the pool lock; the caller completes the invocation with the result once the
     * lock is released.
     */
    private InvocationResult failBeforeDispatchLocked(Invocation invocation, String type, byte[] payload) {
        currentStartNanos = System.nanoTime();
        currentStartMillis = System.currentTimeMillis();
        currentLogOffset = log.append("START RequestId: " + invocation.requestId + " Version: "
                + invocation.function.version() + "\n" + PlatformErrors.logLines(type, payload));
        current = invocation;
        return finishLocked(invocation, failure(invocation, type, payload), Ending.NORMAL);
    }

    /** AWS's error type for a runtime that could not be started. */
    private static final String START_FAILED = "Runtime.InvalidEntrypoint";

    private static InvocationResult.Failure failure(Invocation invocation, String type, byte[] payload) {
        return new InvocationResult.Failure(invocation.requestId, invocation.function.version(), type, payload,
                Optional.empty());
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void kill() {
        cancelTimer();
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static Optional<String> typeIn(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = ERROR_TYPE.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
