package dev.thunk.runtime.java;

import java.util.Map;

/**
 * Everything the runtime needs to know before it can talk to the Runtime API and load a handler.
 *
 * <p>Read from the environment today ({@link #fromEnvironment}); kept as one small value so that a JVM started
 * before its function is known (a "stem cell") can be handed the same record another way later.
 *
 * @param apiHost        host part of {@code AWS_LAMBDA_RUNTIME_API}
 * @param apiPort        port part of {@code AWS_LAMBDA_RUNTIME_API}
 * @param handler        {@code _HANDLER}: {@code package.Class} or {@code package.Class::method}
 * @param taskRoot       {@code LAMBDA_TASK_ROOT}: the unpacked function code
 * @param optRoot        where layers are unpacked ({@code THUNK_OPT_ROOT}, else {@code /opt})
 * @param functionName   {@code AWS_LAMBDA_FUNCTION_NAME}, or null
 * @param functionVersion {@code AWS_LAMBDA_FUNCTION_VERSION}, or null
 * @param memoryMb       {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}, 128 when absent (as AWS's runtime)
 * @param logGroupName   {@code AWS_LAMBDA_LOG_GROUP_NAME}, or null
 * @param logStreamName  {@code AWS_LAMBDA_LOG_STREAM_NAME}, or null
 */
record RuntimeConfig(
        String apiHost,
        int apiPort,
        String handler,
        String taskRoot,
        String optRoot,
        String functionName,
        String functionVersion,
        int memoryMb,
        String logGroupName,
        String logStreamName) {

    RuntimeConfig {
        if (apiHost == null || apiHost.isEmpty()) {
            throw new IllegalArgumentException("runtime API host is empty");
        }
        if (apiPort <= 0 || apiPort > 65535) {
            throw new IllegalArgumentException("runtime API port out of range: " + apiPort);
        }
        if (handler == null || handler.isEmpty()) {
            throw new IllegalArgumentException("_HANDLER is not set");
        }
        if (taskRoot == null || taskRoot.isEmpty()) {
            throw new IllegalArgumentException("LAMBDA_TASK_ROOT is not set");
        }
    }

    /** Reads the reserved variables; {@code handlerOverride} (the first program argument, as AWS's
     *  bootstrap passes it) wins over {@code _HANDLER} when given. */
    static RuntimeConfig fromEnvironment(Map<String, String> env, String handlerOverride) {
        String api = env.get("AWS_LAMBDA_RUNTIME_API");
        if (api == null || api.isEmpty()) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API is not set");
        }
        // host:port and nothing else; the last colon splits, so a bracketed IPv6 literal works too.
        int colon = api.lastIndexOf(':');
        if (colon <= 0 || colon == api.length() - 1) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API is not host:port: " + api);
        }
        String host = api.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = parseInt(api.substring(colon + 1), -1);
        String optRoot = env.get("THUNK_OPT_ROOT");
        return new RuntimeConfig(
                host,
                port,
                handlerOverride != null ? handlerOverride : env.get("_HANDLER"),
                env.get("LAMBDA_TASK_ROOT"),
                optRoot == null || optRoot.isEmpty() ? "/opt" : optRoot,
                env.get("AWS_LAMBDA_FUNCTION_NAME"),
                env.get("AWS_LAMBDA_FUNCTION_VERSION"),
                parseInt(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 128),
                env.get("AWS_LAMBDA_LOG_GROUP_NAME"),
                env.get("AWS_LAMBDA_LOG_STREAM_NAME"));
    }

    private static int parseInt(String value, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
