package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The {@link Context} handed to a handler for one invocation. Absent values are null, as in AWS's runtime
 * (a handler written for AWS checks for null, not for empty strings).
 */
final class LambdaContext implements Context {

    private final RuntimeConfig config;
    private final Invocation invocation;
    private final ClientContext clientContext;
    private final CognitoIdentity identity;
    private final LambdaLogger logger;

    LambdaContext(RuntimeConfig config, Invocation invocation, ClientContext clientContext,
                  CognitoIdentity identity, LambdaLogger logger) {
        this.config = config;
        this.invocation = invocation;
        this.clientContext = clientContext;
        this.identity = identity;
        this.logger = logger;
    }

    @Override
    public String getAwsRequestId() {
        return invocation.requestId();
    }

    @Override
    public String getLogGroupName() {
        return config.logGroupName();
    }

    @Override
    public String getLogStreamName() {
        return config.logStreamName();
    }

    @Override
    public String getFunctionName() {
        return config.functionName();
    }

    @Override
    public String getFunctionVersion() {
        return config.functionVersion();
    }

    @Override
    public String getInvokedFunctionArn() {
        return invocation.invokedFunctionArn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return identity;
    }

    @Override
    public ClientContext getClientContext() {
        return clientContext;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long left = invocation.deadlineMs() - System.currentTimeMillis();
        return left > 0 ? (int) Math.min(left, Integer.MAX_VALUE) : 0;
    }

    @Override
    public int getMemoryLimitInMB() {
        return config.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    @Override
    public String getTenantId() {
        return invocation.tenantId();
    }

    @Override
    public String getXrayTraceId() {
        return invocation.traceId();
    }
}
