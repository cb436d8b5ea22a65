package dev.thunk.cli;

/**
 * Why a command failed, worded for the user: {@link Cli} prints {@code thunk: <message>} and exits with
 * {@link #exitCode()}. The one exception family of this module; {@link AwsError} is the server's own refusal.
 */
class CliException extends RuntimeException {
    /** Exit code of a command that could not do its work. */
    static final int FAILED = 1;
    /** Exit code of a command line that makes no sense (unknown option, missing argument). */
    static final int USAGE = 2;

    private final int exitCode;

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = FAILED;
    }

    static CliException usage(String message) {
        return new CliException(message, USAGE);
    }

    static CliException failed(String message) {
        return new CliException(message, FAILED);
    }

    int exitCode() {
        return exitCode;
    }
}
