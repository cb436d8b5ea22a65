package dev.thunk.core;

import java.util.regex.Pattern;

/**
 * The region and account Thunk presents itself as. Every ARN Thunk prints is built here so that they all agree.
 */
public record Account(String region, String accountId) {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    public Account {
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must look like us-east-1: " + region);
        }
        if (!ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
        }
    }

    public String functionArn(String functionName) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
    }

    public String functionArn(String functionName, String qualifier) {
        return functionArn(functionName) + ":" + qualifier;
    }

    public String layerArn(String layerName) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":layer:" + layerName;
    }

    public String layerVersionArn(String layerName, int version) {
        return layerArn(layerName) + ":" + version;
    }
}
