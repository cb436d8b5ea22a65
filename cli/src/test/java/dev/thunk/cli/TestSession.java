package dev.thunk.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Runs commands with captured output, a fixed clock and a fast poll. */
final class TestSession {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Map<String, String> env = Map.of();
    private byte[] stdin = new byte[0];
    private PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);

    TestSession env(Map<String, String> env) {
        this.env = env;
        return this;
    }

    TestSession stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    TestSession out(PrintStream stream) {
        this.outStream = stream;
        return this;
    }

    int run(String... args) {
        Session session = new Session(env, new ByteArrayInputStream(stdin), outStream,
                new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofMillis(1), Duration.ofSeconds(10),
                Clock.fixed(NOW, ZoneOffset.UTC));
        return Cli.run(List.of(args), session);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
