package dev.thunk.engine.runtimeapi;

/** The environment's verdict on a runtime that begins to stream its response. */
public sealed interface StreamStart {
    /** Not now (no such invocation in progress): the answer, once the body is dropped. */
    record Refused(Answer answer) implements StreamStart {
    }

    /** Accepted: the chunks go to {@code response}. */
    record Open(StreamedResponse response) implements StreamStart {
    }
}
