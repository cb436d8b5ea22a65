package dev.thunk.cli;

/**
 * An error the server answered the AWS way: the {@code x-amzn-ErrorType} header and a JSON body carrying
 * {@code message} or {@code Message}. Printed as {@code <Type>: <message>}.
 */
final class AwsError extends CliException {
    private final String type;
    private final int status;

    AwsError(String type, String message, int status) {
        super(message.isEmpty() ? type : type + ": " + message, FAILED);
        this.type = type;
        this.status = status;
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }

    boolean isNotFound() {
        return type.equals("ResourceNotFoundException");
    }
}
