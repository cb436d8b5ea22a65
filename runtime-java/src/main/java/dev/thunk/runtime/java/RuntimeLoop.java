package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.IOError;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The invoke phase: next event, run the handler, post the answer, forever. One invocation at a time.
 *
 * <p>A handler that throws gets an error report and the loop goes on, as on AWS; the loop ends (and the process
 * should exit) only when the Runtime API cannot be reached or the JVM is in no state to go on (a
 * {@link VirtualMachineError} such as OutOfMemoryError, or an {@link IOError}).
 */
final class RuntimeLoop implements RuntimeApiClient.ResponseListener {

    /** AWS's X-Ray SDK reads the trace header of the current invocation from this property. */
    static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";

    private final RuntimeApiClient api;
    private final RequestStreamHandler handler;
    private final RuntimeConfig config;
    private final LambdaLogger logger;
    private final PrintStream log;
    /** The largest response the Runtime API accepts (AWS's 6 MB limit); a larger one is refused with 413. */
    static final int MAX_RESPONSE_BYTES = 6_291_556;

    private final ResponseBuffer output = new ResponseBuffer();

    RuntimeLoop(RuntimeApiClient api, RequestStreamHandler handler, RuntimeConfig config, LambdaLogger logger,
                PrintStream log) {
        this.api = api;
        this.handler = handler;
        this.config = config;
        this.logger = logger;
        this.log = log;
    }

    /**
     * Runs until the JVM must not go on.
     *
     * @throws IOException when the Runtime API cannot be reached or answers {@code /next} with an error
     */
    void run() throws IOException {
        Invocation next = api.nextInvocation();
        while (next != null) {
            next = invoke(next);
        }
    }

    /** Runs one invocation and reports it; returns the next one, or null when the JVM should stop. */
    Invocation invoke(Invocation invocation) throws IOException {
        if (invocation.traceId() != null) {
            System.setProperty(TRACE_HEADER_PROPERTY, invocation.traceId());
        } else {
            System.clearProperty(TRACE_HEADER_PROPERTY);
        }
        output.recycle();
        Throwable failure = null;
        try {
            handler.handleRequest(new ByteArrayInputStream(invocation.payload()), output, context(invocation));
        } catch (Throwable t) {
            failure = t;
        }
        // Clear an interrupt the user's code left behind, so it cannot break the next /next (as AWS does).
        Thread.interrupted();
        // Whatever the function printed belongs before the platform's END line, which follows our answer.
        System.out.flush();
        System.err.flush();
        if (failure == null) {
            String id = invocation.requestId();
            if (output.length() <= MAX_RESPONSE_BYTES) {
                return api.reportResponseThenNext(id, output.array(), output.length(), this);
            }
            // Refused with 413: reported alone, so that the line saying so stays in this invocation's log even when
            // the next event is already waiting.
            responseAnswered(id, api.reportInvocationResponse(id, output.array(), output.length()));
            return api.nextInvocation();
        }
        ErrorReport report = ErrorReport.ofThrowable(failure);
        log.print(report.log());
        log.flush();
        int status = api.reportInvocationError(invocation.requestId(), report);
        if (status != 202) {
            log.println("thunk-runtime-java: error report for " + invocation.requestId() + " answered " + status);
        }
        return failure instanceof VirtualMachineError || failure instanceof IOError ? null : api.nextInvocation();
    }

    /**
     * Logs an answer other than 202 to a posted response. A pipelined post's next {@code GET /next} is already with
     * the server, so such a line may land in the next invocation's log; a 413 (too large) is posted alone so that it
     * stays in its own.
     */
    @Override
    public void responseAnswered(String requestId, int status) {
        if (status != 202) {
            log.println("thunk-runtime-java: response for " + requestId + " answered " + status);
        }
    }

    private LambdaContext context(Invocation invocation) {
        // A malformed header is the caller's problem, not the handler's: the handler sees null, as with no header.
        ClientContext clientContext = null;
        try {
            clientContext = LambdaClientContext.parse(invocation.clientContext());
        } catch (RuntimeException e) {
            log.println("thunk-runtime-java: ignoring malformed client context: " + e.getMessage());
        }
        CognitoIdentity identity = null;
        try {
            identity = LambdaCognitoIdentity.parse(invocation.cognitoIdentity());
        } catch (RuntimeException e) {
            log.println("thunk-runtime-java: ignoring malformed cognito identity: " + e.getMessage());
        }
        return new LambdaContext(config, invocation, clientContext, identity, logger);
    }
}
