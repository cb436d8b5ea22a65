package dev.thunk.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A layer as callers name it: {@code {LayerName}} is a bare name or a layer ARN; a function's {@code Layers} and
 * GetLayerVersionByArn name one version by its ARN. Parsing validates with AWS's patterns and wording.
 *
 * @param region    the region the reference names (ours for a bare name)
 * @param accountId the account the reference names (ours for a bare name)
 * @param name      the bare layer name
 */
public record LayerRef(String region, String accountId, String name) {
    /** AWS's pattern for {@code LayerName}. */
    public static final Pattern NAME_PATTERN = Pattern.compile(
            "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+");
    /** AWS's pattern for a layer version ARN. */
    public static final Pattern VERSION_ARN_PATTERN = Pattern.compile(
            "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+");
    public static final int MAX_ARN_LENGTH = 140;

    private static final Pattern ARN = Pattern.compile(
            "arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\\d{12}):layer:([a-zA-Z0-9-_]+)(?::([0-9]+))?");

    /** A layer version named by its ARN. */
    public record Version(LayerRef layer, long number) {
        public boolean sameLayer(Version other) {
            return layer.equals(other.layer);
        }
    }

    /** Parses {@code {LayerName}}: a name or a layer ARN, or AWS's ValidationException. */
    public static LayerRef parseName(String raw, Account account) {
        new Validation()
                .required("layerName", raw)
                .length("layerName", raw, 1, MAX_ARN_LENGTH)
                .pattern("layerName", raw, NAME_PATTERN)
                .check();
        Matcher m = ARN.matcher(raw);
        return m.matches() ? new LayerRef(m.group(1), m.group(2), m.group(3))
                : new LayerRef(account.region(), account.accountId(), raw);
    }

    /** Parses a layer version ARN, reporting a mismatch against {@code field} as AWS does. */
    public static Version parseVersionArn(String raw, String field) {
        new Validation()
                .required(field, raw)
                .length(field, raw, 1, MAX_ARN_LENGTH)
                .pattern(field, raw, VERSION_ARN_PATTERN)
                .check();
        return versionArn(raw).orElseThrow();
    }

    /** The version a string names if it is a well-formed layer version ARN. */
    public static Optional<Version> versionArn(String raw) {
        if (raw == null || raw.length() > MAX_ARN_LENGTH || !VERSION_ARN_PATTERN.matcher(raw).matches()) {
            return Optional.empty();
        }
        Matcher m = ARN.matcher(raw);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Version(new LayerRef(m.group(1), m.group(2), m.group(3)),
                    Long.parseLong(m.group(4))));
        } catch (NumberFormatException e) {
            // More digits than a long holds: a version that can never exist.
            return Optional.of(new Version(new LayerRef(m.group(1), m.group(2), m.group(3)), Long.MAX_VALUE));
        }
    }

    /** Whether the reference names a layer of this account in this region (the only ones Thunk holds). */
    public boolean ours(Account account) {
        return region.equals(account.region()) && accountId.equals(account.accountId());
    }

    public String arn() {
        return "arn:aws:lambda:" + region + ":" + accountId + ":layer:" + name;
    }
}
