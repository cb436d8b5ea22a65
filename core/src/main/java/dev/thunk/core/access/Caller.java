package dev.thunk.core.access;

/**
 * Who sent a request, as its signature proves: the account of the key that signed it. Thunk's keys are account
 * root keys, so a caller is always {@code arn:aws:iam::<account>:root}.
 */
public record Caller(String accountId, String accessKeyId) {

    public String arn() {
        return "arn:aws:iam::" + accountId + ":root";
    }
}
