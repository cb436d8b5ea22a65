package dev.thunk.runtime.java;

/**
 * One event handed out by {@code GET /runtime/invocation/next}, with the headers that describe it.
 *
 * @param requestId        {@code Lambda-Runtime-Aws-Request-Id}
 * @param deadlineMs       {@code Lambda-Runtime-Deadline-Ms}, epoch milliseconds (0 when absent)
 * @param invokedFunctionArn {@code Lambda-Runtime-Invoked-Function-Arn}, or null
 * @param traceId          {@code Lambda-Runtime-Trace-Id}, or null
 * @param clientContext    {@code Lambda-Runtime-Client-Context} as sent (JSON, or base64 of it), or null
 * @param cognitoIdentity  {@code Lambda-Runtime-Cognito-Identity} (JSON), or null
 * @param tenantId         {@code Lambda-Runtime-Aws-Tenant-Id}, or null
 * @param payload          the event body
 */
record Invocation(
        String requestId,
        long deadlineMs,
        String invokedFunctionArn,
        String traceId,
        String clientContext,
        String cognitoIdentity,
        String tenantId,
        byte[] payload) {
}
