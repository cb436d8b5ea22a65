package dev.thunk.engine;

import dev.thunk.core.Account;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.Runtimes;
import dev.thunk.core.access.TemporaryCredentials;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The complete environment of a runtime process: AWS's defaults, the function's own variables, then the reserved
 * variables, which the function's can never override. Nothing is inherited from the server's own environment.
 */
final class EnvironmentVariables {
    private EnvironmentVariables() {
    }

    /** {@code provisioned}: started ahead of need for a provisioned concurrency configuration, not on demand. */
    static Map<String, String> of(FunctionVersion function, Account account, String logStream, int runtimeApiPort,
                                  Path taskRoot, Path runtimeDir, Path optRoot, boolean provisioned) {
        FunctionConfig config = function.config();
        Map<String, String> env = defaults(taskRoot, optRoot);
        if (Runtimes.family(config.runtime()) == Runtimes.Family.NODE) {
            // CommonJS reads NODE_PATH once at start: AWS's order, the version-specific layer directory first.
            String major = config.runtime().replace("nodejs", "").replace(".x", "");
            env.put("NODE_PATH", optRoot.resolve("nodejs/node" + major + "/node_modules") + ":"
                    + optRoot.resolve("nodejs/node_modules") + ":" + taskRoot);
        }
        env.putAll(config.environment());

        env.put("_HANDLER", config.handler());
        env.put("AWS_REGION", account.region());
        env.put("AWS_DEFAULT_REGION", account.region());
        if (Runtimes.family(config.runtime()) != Runtimes.Family.PROVIDED) {
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + config.runtime());
        }
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(config.memorySize()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", function.version());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", provisioned ? "provisioned-concurrency" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApiPort);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        return env;
    }

    /**
     * Adds what lets the function call AWS APIs as a function on AWS can: temporary credentials for its account in
     * AWS's three credential variables (Thunk has no IAM roles; see {@link TemporaryCredentials}), and where
     * Thunk's Lambda API is, so that an AWS SDK in the function calls Thunk ({@code AWS_ENDPOINT_URL_LAMBDA}, which
     * the SDKs read; a function's own value is kept).
     */
    static void addAccess(Map<String, String> env, TemporaryCredentials.Issued credentials,
                          Optional<String> lambdaEndpoint) {
        env.put("AWS_ACCESS_KEY_ID", credentials.key().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.key().secretAccessKey());
        env.put("AWS_SESSION_TOKEN", credentials.sessionToken());
        lambdaEndpoint.ifPresent(url -> env.putIfAbsent("AWS_ENDPOINT_URL_LAMBDA", url));
    }

    /**
     * The start-up environment of a stem cell that will be bound at {@code taskRoot} and {@code optRoot}: AWS's
     * defaults (the ones a process reads only when it starts, such as {@code LD_LIBRARY_PATH} and {@code LANG},
     * are already the function's), the cell's directories and the marker that makes the runtime client wait for
     * its binding. Binding replaces all of it with {@link #of}.
     */
    static Map<String, String> ofStemCell(String cellId, Path taskRoot, Path optRoot) {
        Map<String, String> env = defaults(taskRoot, optRoot);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("THUNK_STEM_CELL", cellId);
        return env;
    }

    /**
     * Whether a function's own variable takes effect only when a process starts (the dynamic loader's, the
     * locale and time zone, the interpreters' and the JVM's options): such a function cannot use a stem cell,
     * which started before its variables were known.
     */
    static boolean readAtStart(String name) {
        return name.startsWith("LD_") || name.startsWith("LC_") || name.startsWith("PYTHON") || name.startsWith("UV_")
                || (name.startsWith("NODE_") && !name.equals("NODE_PATH"))
                || java.util.Set.of("LANG", "LANGUAGE", "TZ", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
                        "JDK_JAVA_OPTIONS", "AWS_LAMBDA_EXEC_WRAPPER").contains(name);
    }

    private static Map<String, String> defaults(Path taskRoot, Path optRoot) {
        Map<String, String> env = new HashMap<>();
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:" + optRoot.resolve("bin"));
        env.put("LD_LIBRARY_PATH", taskRoot.resolve("lib") + ":" + optRoot.resolve("lib"));
        env.put("THUNK_OPT_ROOT", optRoot.toString());
        return env;
    }
}
