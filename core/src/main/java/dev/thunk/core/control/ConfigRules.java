package dev.thunk.core.control;

import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionLayer;
import dev.thunk.core.LambdaException;
import dev.thunk.core.LayerRef;
import dev.thunk.core.RuntimeAvailability;
import dev.thunk.core.Runtimes;
import dev.thunk.core.Validation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * AWS's rules for a function's configuration: the modelled constraints (ValidationException, all reported
 * together) first, then the semantic ones (InvalidParameterValueException). Stateless and thread-safe.
 */
final class ConfigRules {
    static final int MAX_ENVIRONMENT_BYTES = 4096;
    static final int MAX_LAYERS = 5;

    private static final Pattern HANDLER = Pattern.compile("[^\\s]+");
    private static final Pattern ROLE = Pattern.compile(
            "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
    private static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z]([a-zA-Z0-9_])+");
    private static final Pattern TARGET_ARN = Pattern.compile("(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()");
    private static final List<String> TRACING_MODES = List.of("Active", "PassThrough");
    private static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");

    /** Names the platform sets for every environment; a function may not set them. */
    static final Set<String> RESERVED_ENVIRONMENT = Set.of(
            "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
            "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    private final RuntimeAvailability runtimes;
    private final Function<List<String>, List<FunctionLayer>> layers;

    /** @param layers resolves layer version ARNs into the copies a function keeps, or refuses them */
    ConfigRules(RuntimeAvailability runtimes, Function<List<String>, List<FunctionLayer>> layers) {
        this.runtimes = runtimes;
        this.layers = layers;
    }

    /** The configuration of a new function: defaults, overridden by the request. */
    FunctionConfig create(ConfigChange change, List<String> architectures) {
        Validation v = new Validation();
        v.required("role", change.role().orElse(null));
        validate(v, change);
        validateArchitectures(v, architectures);
        v.check();
        if (change.runtime().isEmpty() || change.handler().isEmpty()) {
            throw LambdaException.invalidParameter(
                    "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
        FunctionConfig base = new FunctionConfig(change.runtime().get(), change.handler().get(),
                change.role().get(), "", FunctionConfig.DEFAULT_MEMORY, FunctionConfig.DEFAULT_TIMEOUT,
                FunctionConfig.DEFAULT_EPHEMERAL, Map.of(), architectures, List.of(), Optional.empty(),
                "PassThrough");
        return applyChecked(base, change);
    }

    /** The configuration after an UpdateFunctionConfiguration. */
    FunctionConfig update(FunctionConfig base, ConfigChange change) {
        Validation v = new Validation();
        validate(v, change);
        v.check();
        return applyChecked(base, change);
    }

    FunctionConfig withArchitectures(FunctionConfig base, List<String> architectures) {
        Validation v = new Validation();
        validateArchitectures(v, architectures);
        v.check();
        return new FunctionConfig(base.runtime(), base.handler(), base.role(), base.description(),
                base.memorySize(), base.timeout(), base.ephemeralStorage(), base.environment(), architectures,
                base.layers(), base.deadLetterTargetArn(), base.tracingMode());
    }

    private void validate(Validation v, ConfigChange c) {
        c.handler().ifPresent(h -> v.length("handler", h, 0, 128).pattern("handler", h, HANDLER));
        c.role().ifPresent(r -> v.pattern("role", r, ROLE));
        c.description().ifPresent(d -> v.length("description", d, 0, 256));
        c.timeout().ifPresent(t -> v.range("timeout", t, 1, 900));
        c.memorySize().ifPresent(m -> v.range("memorySize", m, 128, 10240));
        c.ephemeralStorage().ifPresent(e -> v.range("ephemeralStorage.size", e, 512, 10240));
        c.tracingMode().ifPresent(t -> v.oneOf("tracingConfig.mode", t, TRACING_MODES));
        c.deadLetterTargetArn().ifPresent(a -> v.pattern("deadLetterConfig.targetArn", a, TARGET_ARN));
        c.environment().ifPresent(env -> env.keySet().forEach(key -> {
            if (!ENV_KEY.matcher(key).matches()) {
                v.failWithoutValue("environment.variables", "Map keys must satisfy constraint: "
                        + "[Member must satisfy regular expression pattern: " + ENV_KEY.pattern() + "]");
            }
        }));
        c.layers().ifPresent(arns -> {
            if (arns.size() > MAX_LAYERS) {
                v.fail(arns, "layers", "Member must have length less than or equal to " + MAX_LAYERS);
            }
            if (!arns.stream().allMatch(arn -> LayerRef.versionArn(arn).isPresent())) {
                v.fail(arns, "layers", "Member must satisfy constraint: [Member must have length less than or "
                        + "equal to " + LayerRef.MAX_ARN_LENGTH + ", Member must have length greater than or equal "
                        + "to 1, Member must satisfy regular expression pattern: " + LayerRef.VERSION_ARN_PATTERN
                        + "]");
            }
        });
    }

    private static void validateArchitectures(Validation v, List<String> architectures) {
        if (architectures.size() != 1) {
            v.fail(architectures, "architectures", "Member must have length less than or equal to 1");
        } else {
            v.oneOf("architectures.member", architectures.get(0), ARCHITECTURES);
        }
    }

    private FunctionConfig applyChecked(FunctionConfig base, ConfigChange c) {
        c.runtime().ifPresent(this::checkRuntime);
        c.environment().ifPresent(ConfigRules::checkEnvironment);
        List<FunctionLayer> resolvedLayers = c.layers().map(layers).orElse(base.layers());
        return new FunctionConfig(
                c.runtime().orElse(base.runtime()),
                c.handler().orElse(base.handler()),
                c.role().orElse(base.role()),
                c.description().orElse(base.description()),
                c.memorySize().orElse(base.memorySize()),
                c.timeout().orElse(base.timeout()),
                c.ephemeralStorage().orElse(base.ephemeralStorage()),
                c.environment().orElse(base.environment()),
                base.architectures(),
                resolvedLayers,
                // An empty TargetArn is how AWS callers remove a dead-letter queue.
                c.deadLetterTargetArn().isPresent()
                        ? c.deadLetterTargetArn().filter(arn -> !arn.isEmpty())
                        : base.deadLetterTargetArn(),
                c.tracingMode().orElse(base.tracingMode()));
    }

    private void checkRuntime(String runtime) {
        if (!Runtimes.MODEL_ENUM.contains(runtime)) {
            // AWS reports this one as a parameter error, in validation wording without quotes.
            throw LambdaException.invalidParameter("Value " + runtime + " at 'runtime' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: " + Runtimes.MODEL_ENUM + " or be a valid ARN");
        }
        if (Runtimes.deprecated(runtime)) {
            throw LambdaException.invalidParameter("The runtime parameter of " + runtime
                    + " is no longer supported for creating or updating AWS Lambda functions. "
                    + "We recommend you use a supported runtime while creating or updating functions.");
        }
        runtimes.missing(runtime).ifPresent(reason -> {
            throw LambdaException.invalidParameter("The runtime " + runtime + " cannot run on this Thunk server: "
                    + reason);
        });
    }

    private static void checkEnvironment(Map<String, String> env) {
        Set<String> reserved = new TreeSet<>(env.keySet());
        reserved.retainAll(RESERVED_ENVIRONMENT);
        if (!reserved.isEmpty()) {
            throw LambdaException.invalidParameter("Lambda was unable to configure your environment variables "
                    + "because the environment variables you have provided contains reserved keys that are "
                    + "currently not supported for modification. Reserved keys used in this request: "
                    + String.join(", ", reserved));
        }
        String measured = Json.object(env);
        if (measured.getBytes(StandardCharsets.UTF_8).length > MAX_ENVIRONMENT_BYTES) {
            throw LambdaException.invalidParameter("Lambda was unable to configure your environment variables "
                    + "because the environment variables you have provided exceeded the 4KB limit. "
                    + "String measured: " + measured);
        }
    }
}
