package dev.thunk.engine.async;

import dev.thunk.core.Account;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.async.AsyncInvoker;
import dev.thunk.core.async.Destinations;
import dev.thunk.core.async.EventInvokeConfig;
import dev.thunk.core.async.EventQueue;
import dev.thunk.core.async.QueuedEvent;
import dev.thunk.core.control.FunctionService;
import dev.thunk.core.invoke.InvocationResult;
import dev.thunk.core.invoke.InvokeRequest;
import dev.thunk.core.invoke.Invoker;
import dev.thunk.engine.async.InvocationRecord.Condition;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs asynchronous events. An event is committed to the {@link EventQueue} before its caller hears 202; this
 * dispatcher then feeds due events to the ordinary invoke path, at most {@code maxInFlight} at once, and owns
 * what follows: retries with their delays, backoff on throttles and platform errors, the event age limit,
 * destinations and the dead-letter queue. Every step is committed before the next is taken, so a killed server
 * runs again, after its restart, every event not yet finished: at least once, never lost.
 *
 * <p>One loop thread takes due events in time order from an in-memory schedule (a mirror of the queue table, loaded
 * at start); the outcomes are handled on virtual threads, since they read the store.
 */
public final class AsyncDispatcher implements AsyncInvoker, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AsyncDispatcher.class.getName());
    /** A queue message is tried this many times before it counts as a delivery failure. */
    static final int MAX_DELIVERY_ATTEMPTS = 8;
    private static final int MAX_ERROR_MESSAGE = 1024;

    private final Account account;
    private final Invoker invoker;
    private final EventQueue queue;
    private final EventInvokeConfigs configs;
    private final FunctionStore functions;
    private final Destinations destinations;
    private final AsyncSettings settings;
    private final RetryPolicy retries;
    private final AsyncMetrics metrics = new AsyncMetrics();
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition scheduleChanged = lock.newCondition();
    private final PriorityQueue<QueuedEvent> schedule = new PriorityQueue<>(
            Comparator.comparingLong(QueuedEvent::nextAt).thenComparingLong(QueuedEvent::id));
    private final Semaphore inFlight;
    private final ExecutorService outcomes = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;
    private Thread loop;

    public AsyncDispatcher(Account account, Invoker invoker, EventQueue queue, EventInvokeConfigs configs,
                           FunctionStore functions, Destinations destinations, AsyncSettings settings) {
        this.account = account;
        this.invoker = invoker;
        this.queue = queue;
        this.configs = configs;
        this.functions = functions;
        this.destinations = destinations;
        this.settings = settings;
        this.retries = new RetryPolicy(settings.retryBaseDelay());
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    /** Loads what the queue still holds (events of a previous run included) and starts running them. */
    public void start() {
        List<QueuedEvent> pending = queue.pending();
        if (!pending.isEmpty()) {
            LOG.info(pending.size() + " queued asynchronous event(s) to run from before the restart");
        }
        pending.forEach(this::schedule);
        loop = Thread.ofPlatform().name("thunk-async-dispatcher").daemon().start(this::run);
    }

    @Override
    public CompletableFuture<Void> enqueue(InvokeRequest request) {
        QueuedEvent event = QueuedEvent.invoke(request.requestId(), request.functionName(), request.qualifier(),
                request.payload(), now());
        return invoker.dryRun(request)
                .thenCompose(ignored -> queue.append(List.of(event)))
                .thenAccept(added -> {
                    metrics.received.increment();
                    added.forEach(this::schedule);
                });
    }

    @Override
    public Map<String, Object> stats() {
        int queued;
        lock.lock();
        try {
            queued = schedule.size();
        } finally {
            lock.unlock();
        }
        return metrics.snapshot(queued, settings.maxInFlight() - inFlight.availablePermits());
    }

    /**
     * Stops dispatching. Events running now finish or not; either way their outcomes are no longer written, so they
     * stay queued and run again after the next start.
     */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            scheduleChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        outcomes.shutdownNow();
    }

    private void run() {
        while (!closed) {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                continue;
            }
            QueuedEvent next = takeDue();
            if (next == null) {
                inFlight.release();
                return;
            }
            CompletableFuture<Void> done;
            try {
                done = next.kind() == QueuedEvent.Kind.INVOKE ? attempt(next) : deliver(next);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            done.whenComplete((ignored, failure) -> {
                inFlight.release();
                if (failure != null && !closed) {
                    LOG.log(Level.WARNING, "asynchronous event " + next.requestId() + " could not be handled; "
                            + "it stays queued and runs after the next start", failure);
                }
            });
        }
    }

    /** The next due entry, waiting for one; null once closed. */
    private QueuedEvent takeDue() {
        lock.lock();
        try {
            while (!closed) {
                QueuedEvent head = schedule.peek();
                long now = now();
                if (head != null && head.nextAt() <= now) {
                    return schedule.poll();
                }
                // Re-checked at least every second: the clock may move on its own (tests move it).
                long wait = head == null ? 1_000 : Math.min(1_000, head.nextAt() - now);
                try {
                    scheduleChanged.await(wait, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // closed is checked by the loop
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void schedule(QueuedEvent entry) {
        lock.lock();
        try {
            schedule.add(entry);
            scheduleChanged.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Runs one attempt of an event; completes when its outcome is committed. */
    private CompletableFuture<Void> attempt(QueuedEvent event) {
        Target target;
        try {
            target = Target.of(event, account);
        } catch (LambdaException e) {
            return dropped(event, "its function reference is no longer valid: " + e.getMessage());
        }
        EventInvokeConfig config = configs.get(target.name, target.qualifier);
        long age = now() - event.receivedAt();
        if (age > config.maximumEventAge().toMillis()) {
            metrics.expired.increment();
            return giveUp(event, target, config, Condition.EventAgeExceeded, Optional.empty(), "429",
                    "Event age exceeded");
        }
        metrics.attemptStarted(age);
        CompletableFuture<InvocationResult> run;
        try {
            run = invoker.invoke(new InvokeRequest(event.requestId(), event.target(), event.qualifier(),
                    event.payload(), Optional.empty(), false));
        } catch (RuntimeException e) {
            run = CompletableFuture.failedFuture(e);
        }
        // A success needs nothing but memory and a queued write: it is handled where the result arrives. Failures
        // may read the store (reserved concurrency, the dead-letter queue), so they move to a virtual thread.
        return run.handle((result, failure) -> failure == null && result instanceof InvocationResult.Success
                        ? finished(event, target, config, result)
                        : CompletableFuture.supplyAsync(() -> failure == null
                                ? finished(event, target, config, result)
                                : refused(event, target, config, unwrap(failure)), outcomes)
                        .thenCompose(next -> next))
                .thenCompose(next -> next);
    }

    /** The function ran the event: a success, or a function error that uses up one attempt. */
    private CompletableFuture<Void> finished(QueuedEvent event, Target target, EventInvokeConfig config,
                                             InvocationResult result) {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        int invokeCount = event.attempts() + 1;
        return switch (result) {
            case InvocationResult.Success s -> {
                metrics.succeeded.increment();
                List<QueuedEvent> followUps = config.onSuccess()
                        .flatMap(arn -> toDestination(arn, record(Condition.Success, event, target, invokeCount, s)))
                        .stream().toList();
                yield finish(event, followUps);
            }
            case InvocationResult.Failure f -> {
                if (invokeCount <= config.retryAttempts()) {
                    metrics.retried.increment();
                    yield reschedule(event.withRetry(invokeCount, 0, now() + retries.retryDelayMillis(invokeCount)));
                }
                metrics.failed.increment();
                yield giveUp(event.withRetry(invokeCount, event.backoffs(), event.nextAt()), target, config,
                        Condition.RetriesExhausted, Optional.of(f), "200", InvocationRecord.errorMessage(f));
            }
        };
    }

    /** The event did not reach the function: a throttle, a platform error, or the function is gone. */
    private CompletableFuture<Void> refused(QueuedEvent event, Target target, EventInvokeConfig config,
                                            Throwable failure) {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        if (failure instanceof LambdaException e && e.code() == ErrorCode.ResourceNotFoundException) {
            return dropped(event, e.getMessage());
        }
        if (failure instanceof LambdaException e && e.code() == ErrorCode.TooManyRequestsException
                && functions.reservedConcurrency(target.name).orElse(-1) == 0) {
            // Reserved concurrency 0 means "take no events": they go straight to the failure path.
            metrics.failed.increment();
            return giveUp(event, target, config, Condition.RetriesExhausted, Optional.empty(), "429",
                    e.getMessage());
        }
        metrics.backedOff.increment();
        int backoffs = event.backoffs() + 1;
        return reschedule(event.withRetry(event.attempts(), backoffs, now() + RetryPolicy.backoffMillis(backoffs)));
    }

    /**
     * The event has no attempt left (or is too old): its record goes to the on-failure destination, else the
     * event to the function's dead-letter queue, else nowhere (counted as dropped).
     */
    private CompletableFuture<Void> giveUp(QueuedEvent event, Target target, EventInvokeConfig config,
                                           Condition condition, Optional<InvocationResult.Failure> last,
                                           String errorCode, String errorMessage) {
        Optional<QueuedEvent> followUp;
        if (config.onFailure().isPresent()) {
            followUp = toDestination(config.onFailure().get(),
                    record(condition, event, target, event.attempts(), last.orElse(null)));
        } else {
            Optional<String> deadLetterQueue = deadLetterTarget(target, last);
            followUp = deadLetterQueue.map(arn -> QueuedEvent.deliver(event.requestId(), arn, event.payload(),
                    Map.of("RequestID", event.requestId(), "ErrorCode", errorCode,
                            "ErrorMessage", truncate(errorMessage)), now()));
            if (deadLetterQueue.isEmpty()) {
                metrics.dropped.increment();
            }
        }
        return finish(event, followUp.stream().toList());
    }

    private CompletableFuture<Void> dropped(QueuedEvent event, String why) {
        LOG.warning("dropping asynchronous event " + event.requestId() + " for " + event.target() + ": " + why);
        metrics.dropped.increment();
        return finish(event, List.of());
    }

    /** Sends one queue message (a destination's record or a dead letter); retried a few times with backoff. */
    private CompletableFuture<Void> deliver(QueuedEvent message) {
        CompletableFuture<Void> sent;
        try {
            sent = destinations.send(message.target(), message.payload(), message.attributes());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handleAsync((ignored, failure) -> {
            if (closed) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (failure == null) {
                metrics.delivered.increment();
                return finish(message, List.of());
            }
            int attempts = message.attempts() + 1;
            if (attempts >= MAX_DELIVERY_ATTEMPTS) {
                LOG.warning("giving up delivering " + message.requestId() + " to " + message.target() + " after "
                        + attempts + " attempts: " + unwrap(failure).getMessage());
                metrics.deliveryFailures.increment();
                return finish(message, List.of());
            }
            return reschedule(message.withRetry(attempts, attempts, now() + RetryPolicy.backoffMillis(attempts)));
        }, outcomes).thenCompose(next -> next);
    }

    /** What a destination ARN gets: functions receive the record as a new event; queues as a message. */
    private Optional<QueuedEvent> toDestination(String arn, byte[] record) {
        String requestId = UUID.randomUUID().toString();
        if (arn.startsWith("arn:aws:lambda:") || arn.contains(":lambda:")) {
            return Optional.of(QueuedEvent.invoke(requestId, arn, Optional.empty(), record, now()));
        }
        if (!destinations.accepts(arn)) {
            LOG.warning("cannot deliver to " + arn + ": no endpoint for it is configured");
            metrics.deliveryFailures.increment();
            return Optional.empty();
        }
        return Optional.of(QueuedEvent.deliver(requestId, arn, record, Map.of(), now()));
    }

    private byte[] record(Condition condition, QueuedEvent event, Target target, int invokeCount,
                          InvocationResult last) {
        String version = last != null ? last.executedVersion() : target.qualifier;
        return InvocationRecord.of(Instant.ofEpochMilli(now()), condition, event.requestId(),
                account.functionArn(target.name, version), invokeCount, event.payload(), Optional.ofNullable(last));
    }

    /** The dead-letter queue of the version that ran (or, when none ran, the one the event names). */
    private Optional<String> deadLetterTarget(Target target, Optional<InvocationResult.Failure> last) {
        String version = last.map(InvocationResult::executedVersion).orElse(target.qualifier);
        Optional<FunctionVersion> function = FunctionService.versionNumber(version)
                .map(n -> functions.findVersion(target.name, n))
                .orElseGet(() -> version.equals(FunctionVersion.LATEST)
                        ? functions.find(target.name)
                        : functions.findAlias(target.name, version)
                                .flatMap(alias -> FunctionService.versionNumber(alias.functionVersion())
                                        .map(n -> functions.findVersion(target.name, n))
                                        .orElseGet(() -> functions.find(target.name))));
        return function.flatMap(f -> f.config().deadLetterTargetArn());
    }

    private CompletableFuture<Void> reschedule(QueuedEvent entry) {
        return queue.reschedule(entry).thenRun(() -> schedule(entry));
    }

    private CompletableFuture<Void> finish(QueuedEvent entry, List<QueuedEvent> followUps) {
        return queue.finish(entry, followUps).thenAccept(added -> added.forEach(this::schedule));
    }

    private long now() {
        return settings.clock().millis();
    }

    private static String truncate(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_ERROR_MESSAGE ? message
                : new String(bytes, 0, MAX_ERROR_MESSAGE, StandardCharsets.UTF_8);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The function and qualifier ({@code $LATEST} when none) an event is for. */
    private record Target(String name, String qualifier) {
        static Target of(QueuedEvent event, Account account) {
            FunctionRef ref = FunctionRef.parse(event.target(), account);
            return new Target(ref.name(), ref.qualifiedBy(event.qualifier()).orElse(FunctionVersion.LATEST));
        }
    }
}
