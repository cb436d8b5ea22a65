package dev.thunk.core.control;

/** What GetAccountSettings reports as {@code AccountUsage}. */
public record AccountUsage(int functionCount, long totalCodeSize) {
}
