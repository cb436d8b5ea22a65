package dev.thunk.engine;

import dev.thunk.core.Account;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.Runtimes;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
        Map<String, String> env = new HashMap<>();
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:" + optRoot.resolve("bin"));
        env.put("LD_LIBRARY_PATH", taskRoot.resolve("lib") + ":" + optRoot.resolve("lib"));
        env.put("THUNK_OPT_ROOT", optRoot.toString());
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
}
