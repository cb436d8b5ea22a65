package dev.thunk.engine;

import dev.thunk.core.CodeInfo;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.Status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Active python3.12 function versions for the engine's unit tests (nothing runs their code). */
final class TestFunctions {
    private TestFunctions() {
    }

    static FunctionVersion version(String name, String version, String revisionId) {
        FunctionConfig config = new FunctionConfig("python3.12", "app.handler", "arn:aws:iam::123456789012:role/r",
                "", 128, 3, 512, Map.of(), List.of("x86_64"), List.of(), Optional.empty(), "PassThrough");
        return new FunctionVersion(name, version, config, new CodeInfo("sha", "blob", 1, 1), Status.ACTIVE,
                revisionId, Instant.now());
    }
}
