package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A function's code directory as the platform unpacks it: the {@code example} handler classes at the root,
 * and the aws-lambda-java-events jar with its joda-time dependency in {@code lib/}, as a user's deployment
 * package carries them, so event types load through the task class loader only.
 */
final class TaskRoot {

    private TaskRoot() {
    }

    static Path create(Path parent) throws IOException {
        Path root = Files.createDirectories(parent.resolve("task"));
        Path classes = RuntimeProcess.codeSource(example.EchoStreamHandler.class).resolve("example");
        Path target = Files.createDirectories(root.resolve("example"));
        try (Stream<Path> files = Files.list(classes)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> copy(f, target.resolve(f.getFileName())));
        }
        Path lib = Files.createDirectories(root.resolve("lib"));
        for (Class<?> c : new Class<?>[] {SQSEvent.class, org.joda.time.DateTime.class}) {
            Path jar = RuntimeProcess.codeSource(c);
            copy(jar, lib.resolve(jar.getFileName()));
        }
        return root;
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
