package dev.thunk.core;

/**
 * A layer version as a function uses it: its ARN and a copy of its package's identity, taken when the function was
 * configured. The copy is what keeps a function working after the layer version is deleted, as in AWS.
 */
public record FunctionLayer(String arn, CodeInfo code) {
}
