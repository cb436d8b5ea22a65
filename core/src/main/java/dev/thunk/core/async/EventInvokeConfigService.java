package dev.thunk.core.async;

import dev.thunk.core.Account;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Validation;
import dev.thunk.core.control.FunctionService;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Put/Update/Get/Delete/ListFunctionEventInvokeConfigs: per function, version or alias, how its asynchronous
 * events are retried and where their outcomes go. Put replaces a configuration whole; Update changes only the
 * fields it names.
 */
public final class EventInvokeConfigService {
    /** AWS's pattern for a destination ARN; an empty one removes the destination. */
    private static final Pattern DESTINATION = Pattern.compile(
            "^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)");

    private final Account account;
    private final FunctionStore functions;
    private final EventInvokeConfigStore configs;
    private final Clock clock;
    private final boolean queuesReachable;

    /**
     * @param queuesReachable whether this server was given an SQS endpoint: without one, a queue destination
     *                        could never be delivered, so it is refused up front
     */
    public EventInvokeConfigService(Account account, FunctionStore functions, EventInvokeConfigStore configs,
                                    Clock clock, boolean queuesReachable) {
        this.account = account;
        this.functions = functions;
        this.configs = configs;
        this.clock = clock;
        this.queuesReachable = queuesReachable;
    }

    /** What a Put or Update request names; empty fields are defaults on Put and unchanged on Update. */
    public record ConfigChange(Optional<Integer> maximumRetryAttempts, Optional<Integer> maximumEventAgeInSeconds,
                               Optional<String> onSuccess, Optional<String> onFailure) {
    }

    public EventInvokeConfig put(String functionName, Optional<String> qualifier, ConfigChange change) {
        Target target = target(functionName, qualifier);
        EventInvokeConfig config = checked(new EventInvokeConfig(target.name, target.qualifier,
                change.maximumRetryAttempts(), change.maximumEventAgeInSeconds(), nonEmpty(change.onSuccess()),
                nonEmpty(change.onFailure()), clock.instant()));
        store(config);
        return config;
    }

    public EventInvokeConfig update(String functionName, Optional<String> qualifier, ConfigChange change) {
        Target target = target(functionName, qualifier);
        EventInvokeConfig current = configs.findEventInvokeConfig(target.name, target.qualifier)
                .orElseThrow(() -> notConfigured(target));
        EventInvokeConfig config = checked(new EventInvokeConfig(target.name, target.qualifier,
                change.maximumRetryAttempts().or(current::maximumRetryAttempts),
                change.maximumEventAgeInSeconds().or(current::maximumEventAgeInSeconds),
                change.onSuccess().isPresent() ? nonEmpty(change.onSuccess()) : current.onSuccess(),
                change.onFailure().isPresent() ? nonEmpty(change.onFailure()) : current.onFailure(),
                clock.instant()));
        store(config);
        return config;
    }

    public EventInvokeConfig get(String functionName, Optional<String> qualifier) {
        Target target = target(functionName, qualifier);
        return configs.findEventInvokeConfig(target.name, target.qualifier).orElseThrow(() -> notConfigured(target));
    }

    public void delete(String functionName, Optional<String> qualifier) {
        Target target = target(functionName, qualifier);
        if (!configs.deleteEventInvokeConfig(target.name, target.qualifier)) {
            throw notConfigured(target);
        }
    }

    /** One page of the function's configurations, after {@code marker} (a qualifier), at most {@code maxItems}. */
    public Page list(String functionName, Optional<String> marker, Optional<Integer> maxItems) {
        new Validation().range("maxItems", maxItems.orElse(null), 1, 50).check();
        FunctionRef ref = FunctionRef.parseUnqualified(functionName, account,
                r -> "Qualifier is not supported for ListFunctionEventInvokeConfigs.");
        requireFunction(ref.name(), account.functionArn(ref.name()));
        List<EventInvokeConfig> all = configs.listEventInvokeConfigs(ref.name()).stream()
                .filter(c -> marker.map(m -> c.qualifier().compareTo(m) > 0).orElse(true))
                .toList();
        int limit = maxItems.orElse(50);
        List<EventInvokeConfig> page = all.subList(0, Math.min(limit, all.size()));
        Optional<String> next = all.size() > limit ? Optional.of(page.getLast().qualifier()) : Optional.empty();
        return new Page(page, next);
    }

    public record Page(List<EventInvokeConfig> configs, Optional<String> nextMarker) {
    }

    /** The ARN a configuration is shown under: the function's, qualified by the version or alias. */
    public String functionArn(EventInvokeConfig config) {
        return account.functionArn(config.functionName(), config.qualifier());
    }

    private void store(EventInvokeConfig config) {
        if (!configs.putEventInvokeConfig(config)) {
            throw LambdaException.functionNotFound(account.functionArn(config.functionName()));
        }
    }

    private EventInvokeConfig checked(EventInvokeConfig config) {
        Validation v = new Validation()
                .range("maximumRetryAttempts", config.maximumRetryAttempts().orElse(null), 0, 2)
                .range("maximumEventAgeInSeconds", config.maximumEventAgeInSeconds().orElse(null), 60, 21_600);
        config.onSuccess().ifPresent(d -> v.length("destinationConfig.onSuccess.destination", d, 0, 350)
                .pattern("destinationConfig.onSuccess.destination", d, DESTINATION));
        config.onFailure().ifPresent(d -> v.length("destinationConfig.onFailure.destination", d, 0, 350)
                .pattern("destinationConfig.onFailure.destination", d, DESTINATION));
        v.check();
        config.onSuccess().ifPresent(this::checkDestination);
        config.onFailure().ifPresent(this::checkDestination);
        return config;
    }

    /** Thunk delivers to functions and SQS queues; an SNS topic or event bus would silently go nowhere. */
    private void checkDestination(String arn) {
        String service = arn.split(":", 4)[2];
        switch (service) {
            case "lambda" -> FunctionRef.parse(arn, account);
            case "sqs" -> {
                if (!queuesReachable) {
                    throw LambdaException.invalidParameter("The destination ARN " + arn + " is an SQS queue, and "
                            + "this Thunk server has no SQS endpoint; start it with --sqs-endpoint URL.");
                }
            }
            default -> throw LambdaException.invalidParameter("The destination ARN " + arn + " is invalid. "
                    + "Thunk delivers to Lambda functions and SQS queues.");
        }
    }

    private record Target(String name, String qualifier) {
    }

    /** The function and qualifier a request names; both must exist. */
    private Target target(String functionName, Optional<String> qualifierParameter) {
        FunctionRef ref = FunctionRef.parse(functionName, account);
        String qualifier = ref.qualifiedBy(qualifierParameter).orElse(FunctionVersion.LATEST);
        new Validation().length("qualifier", qualifier, 1, 128)
                .pattern("qualifier", qualifier, Pattern.compile("(|[a-zA-Z0-9$_-]+)")).check();
        String arn = account.functionArn(ref.name(), qualifier);
        requireFunction(ref.name(), account.functionArn(ref.name()));
        boolean exists = qualifier.equals(FunctionVersion.LATEST)
                || FunctionService.versionNumber(qualifier)
                        .map(n -> functions.findVersion(ref.name(), n).isPresent())
                        .orElseGet(() -> functions.findAlias(ref.name(), qualifier).isPresent());
        if (!exists) {
            throw LambdaException.functionNotFound(arn);
        }
        return new Target(ref.name(), qualifier);
    }

    private void requireFunction(String name, String arn) {
        if (functions.find(name).isEmpty()) {
            throw LambdaException.functionNotFound(arn);
        }
    }

    private LambdaException notConfigured(Target target) {
        return LambdaException.notFound("The function " + account.functionArn(target.name, target.qualifier)
                + " doesn't have an EventInvokeConfig");
    }

    private static Optional<String> nonEmpty(Optional<String> value) {
        return value.filter(s -> !s.isEmpty());
    }
}
