package dev.thunk.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;

/**
 * {@code thunk invoke <name> [payload]}: a synchronous invocation. The response payload goes to stdout; a function
 * error's JSON goes to stderr with exit code 1; {@code --log} asks for the log tail and prints it to stderr first;
 * {@code --stream} prints the answer as the function streams it (InvokeWithResponseStream).
 * The payload is JSON text, {@code @file}, or {@code -} for stdin; {@code {}} when left out.
 */
final class InvokeCommand {
    static final Set<String> FLAGS = Set.of("log", "stream");

    private final ThunkClient client;
    private final Session session;

    InvokeCommand(ThunkClient client, Session session) {
        this.client = client;
        this.session = session;
    }

    int run(Args args) {
        args.atMostPositionals(2);
        String name = args.positional(0, "a function name");
        byte[] payload = args.positionals().size() > 1 ? payload(args.positionals().get(1))
                : "{}".getBytes(StandardCharsets.UTF_8);
        if (args.flag("stream")) {
            return stream(name, payload, args.flag("log"));
        }
        ThunkClient.Invocation result = client.invoke(name, payload, args.flag("log"));
        if (args.flag("log")) {
            result.logTail().ifPresent(tail -> printLine(session.err(), decode(tail)));
        }
        if (result.functionError().isPresent()) {
            printLine(session.err(), result.payload());
            return CliException.FAILED;
        }
        printLine(session.out(), result.payload());
        return 0;
    }

    /**
     * {@code --stream}: InvokeWithResponseStream, the answer written to stdout chunk by chunk as it arrives; an
     * error that ends the stream goes to stderr with exit code 1, after the log tail if asked for.
     */
    private int stream(String name, byte[] payload, boolean log) {
        PrintStream out = session.out();
        boolean[] endsWithNewline = {true};
        ThunkClient.StreamedInvocation ended = client.invokeStreaming(name, payload, log, chunk -> {
            out.write(chunk, 0, chunk.length);
            out.flush();
            if (chunk.length > 0) {
                endsWithNewline[0] = chunk[chunk.length - 1] == '\n';
            }
        });
        if (!endsWithNewline[0]) {
            out.println();
            out.flush();
        }
        if (log) {
            ended.logTail().ifPresent(tail -> printLine(session.err(), decode(tail)));
        }
        if (ended.errorCode().isPresent()) {
            printLine(session.err(), (ended.errorCode().get() + ": " + ended.errorDetails().orElse(""))
                    .getBytes(StandardCharsets.UTF_8));
            return CliException.FAILED;
        }
        return 0;
    }

    private byte[] payload(String argument) {
        if (argument.equals("-")) {
            try {
                return session.in().readAllBytes();
            } catch (IOException e) {
                throw new CliException("cannot read the payload from stdin: " + e.getMessage(), e);
            }
        }
        if (argument.startsWith("@")) {
            Path file = Path.of(argument.substring(1));
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliException("cannot read the payload from " + file + ": " + e, e);
            }
        }
        return argument.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return ("(log tail not base64: " + base64 + ")").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Writes the bytes as they came, ending them with a newline if they do not end with one already. */
    private static void printLine(PrintStream stream, byte[] bytes) {
        stream.write(bytes, 0, bytes.length);
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            stream.println();
        }
        stream.flush();
    }
}
