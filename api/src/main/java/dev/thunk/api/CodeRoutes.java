package dev.thunk.api;

import dev.thunk.core.CodeStore;
import dev.thunk.core.LambdaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Serves stored packages, the target of {@code Code.Location} in GetFunction (AWS points at S3; Thunk serves the
 * package itself). A package's name is its SHA-256, which is also what makes the location hard to guess.
 */
final class CodeRoutes {
    static final String PATH = "/thunk/code/";

    private final CodeStore code;

    CodeRoutes(CodeStore code) {
        this.code = code;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", PATH + "([0-9a-f]{64})\\.zip", "GetCode", this::get));
    }

    private ApiResponse get(ApiRequest request) {
        Path zip = code.zip(request.path(0));
        try {
            return new ApiResponse(200, Map.of("Content-Type", "application/zip"), Files.readAllBytes(zip));
        } catch (NoSuchFileException e) {
            throw LambdaException.notFound("No stored package " + request.path(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
