package dev.thunk.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to a function as callers write it in {@code {FunctionName}}: a plain name, {@code name:qualifier},
 * a partial ARN ({@code 123456789012:function:name}) or a full ARN, each optionally qualified.
 *
 * @param name      the bare function name
 * @param qualifier the version or alias named in the reference itself, if any
 */
public record FunctionRef(String name, Optional<String> qualifier) {

    /** AWS's pattern for {@code FunctionName} on CreateFunction. */
    public static final Pattern CREATE_PATTERN = Pattern.compile(
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?"
                    + "([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
    /** AWS's pattern for {@code FunctionName} on the other operations (it also admits dots). */
    public static final Pattern LOOKUP_PATTERN = Pattern.compile(
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?"
                    + "([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
    public static final int MAX_NAME_LENGTH = 64;

    private static final Pattern FULL_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\\d):(\\d{12}):function:([^:]+)(?::([^:]+))?");
    private static final Pattern PARTIAL_ARN = Pattern.compile("(\\d{12}):function:([^:]+)(?::([^:]+))?");
    private static final Pattern NAME = Pattern.compile("([^:]+)(?::([^:]+))?");

    public FunctionRef {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("function name must not be empty");
        }
    }

    /**
     * Parses what a caller wrote. Validates against the lookup pattern and length limits first, so that bad input
     * gets AWS's ValidationException; a reference to another account or region is not found, like in AWS.
     */
    public static FunctionRef parse(String raw, Account account) {
        if (isPlainName(raw)) {
            // Every invocation parses its function's name: the usual plain one skips four regular expressions.
            return new FunctionRef(raw, Optional.empty());
        }
        FunctionRef ref = parse(raw, account, LOOKUP_PATTERN, 170);
        if (ref.name.length() > MAX_NAME_LENGTH) {
            // Such a name can never have been created; AWS simply does not find it.
            throw LambdaException.functionNotFound(account.functionArn(ref.name));
        }
        return ref;
    }

    /** Parses the name of a function to create: a name too long for a function is a parameter error. */
    public static FunctionRef parseNew(String raw, Account account) {
        FunctionRef ref = parse(raw, account, CREATE_PATTERN, 140);
        if (ref.name.length() > MAX_NAME_LENGTH) {
            throw LambdaException.invalidParameter("1 validation error detected: Value '" + ref.name
                    + "' at 'functionName' failed to satisfy constraint: "
                    + "Member must have length less than or equal to " + MAX_NAME_LENGTH);
        }
        return ref;
    }

    /**
     * Parses a reference that must name the function itself, not a version or alias; a qualified one is refused
     * with the message {@code refusal} makes of it.
     */
    public static FunctionRef parseUnqualified(String raw, Account account,
                                               java.util.function.Function<FunctionRef, String> refusal) {
        FunctionRef ref = parse(raw, account);
        if (ref.qualifier().isPresent()) {
            throw LambdaException.invalidParameter(refusal.apply(ref));
        }
        return ref;
    }

    /**
     * The account a reference names explicitly, in a full or partial ARN; empty for a plain name, which means a
     * function of the caller's own account.
     */
    public static Optional<String> accountIn(String raw) {
        Matcher m;
        if ((m = FULL_ARN.matcher(raw)).matches()) {
            return Optional.of(m.group(2));
        }
        if ((m = PARTIAL_ARN.matcher(raw)).matches()) {
            return Optional.of(m.group(1));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code raw} is a bare function name the lookup pattern accepts, within the name's length limit: letters,
     * digits, '-', '_' and '.', and no ':' (so it is neither an ARN nor qualified).
     */
    private static boolean isPlainName(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static FunctionRef parse(String raw, Account account, Pattern pattern, int maxLength) {
        new Validation()
                .required("functionName", raw)
                .length("functionName", raw, 1, maxLength)
                .pattern("functionName", raw, pattern)
                .check();
        Matcher m;
        FunctionRef ref;
        if ((m = FULL_ARN.matcher(raw)).matches()) {
            ref = new FunctionRef(m.group(3), Optional.ofNullable(m.group(4)));
            requireOwn(account, m.group(1), m.group(2), ref);
        } else if ((m = PARTIAL_ARN.matcher(raw)).matches()) {
            ref = new FunctionRef(m.group(2), Optional.ofNullable(m.group(3)));
            requireOwn(account, account.region(), m.group(1), ref);
        } else if ((m = NAME.matcher(raw)).matches()) {
            ref = new FunctionRef(m.group(1), Optional.ofNullable(m.group(2)));
        } else {
            throw LambdaException.invalidParameter("Invalid function name or ARN: " + raw);
        }
        return ref;
    }

    private static void requireOwn(Account account, String region, String accountId, FunctionRef ref) {
        if (!account.region().equals(region)) {
            throw LambdaException.notFound("Functions from '" + region + "' are not reachable in this region ('"
                    + account.region() + "')");
        }
        if (!account.accountId().equals(accountId)) {
            String arn = "arn:aws:lambda:" + region + ":" + accountId + ":function:" + ref.name();
            throw LambdaException.functionNotFound(arn);
        }
    }

    /**
     * The one qualifier this reference names: the one inside the reference or the separate {@code Qualifier}
     * parameter. Naming two different ones is an error, as in AWS.
     */
    public Optional<String> qualifiedBy(Optional<String> parameter) {
        if (qualifier.isPresent() && parameter.isPresent() && !qualifier.get().equals(parameter.get())) {
            throw LambdaException.invalidParameter(
                    "The derived qualifier from the function name does not match the specified qualifier.");
        }
        return qualifier.isPresent() ? qualifier : parameter;
    }
}
