package dev.thunk.api;

/**
 * One API operation: parses its request, calls one service, renders the answer. Runs on a virtual thread, so it
 * may block; it throws {@link dev.thunk.core.LambdaException} for anything the caller did wrong.
 */
@FunctionalInterface
public interface Operation {
    ApiResponse handle(ApiRequest request);
}
