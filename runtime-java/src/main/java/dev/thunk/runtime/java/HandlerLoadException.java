package dev.thunk.runtime.java;

/**
 * The user's handler could not be loaded or constructed. Carries the report AWS's runtime would send to
 * {@code /runtime/init/error}; the process then exits, as the platform discards the environment.
 */
final class HandlerLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorReport report;

    HandlerLoadException(ErrorReport report) {
        super(report.errorMessage(), null, false, false);
        this.report = report;
    }

    ErrorReport report() {
        return report;
    }
}
