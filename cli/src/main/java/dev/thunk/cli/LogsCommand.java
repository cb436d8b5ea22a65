package dev.thunk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code thunk logs <name> [--follow] [--since 10m]}: prints the messages of a function's log records, read from
 * Thunk's {@code GET /thunk/logs/{name}} (NDJSON). Without {@code --since} it starts at the beginning of what the
 * server kept. Lines carry their environment's id in brackets once more than one log stream has appeared: without
 * {@code --follow} that is decided over all lines, with it from the moment a second stream shows up.
 */
final class LogsCommand {
    static final Set<String> OPTIONS = Set.of("since");
    static final Set<String> FLAGS = Set.of("follow");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private record LogLine(String stream, String message) {
    }

    private final ThunkClient client;
    private final Session session;

    LogsCommand(ThunkClient client, Session session) {
        this.client = client;
        this.session = session;
    }

    int run(Args args) {
        args.atMostPositionals(1);
        String name = args.positional(0, "a function name");
        long start = args.value("since")
                .map(since -> session.clock().millis() - parseDuration(since).toMillis())
                .orElse(0L);
        boolean follow = args.flag("follow");
        try (Stream<String> lines = client.logs(name, start, follow)) {
            if (follow) {
                Set<String> streams = new HashSet<>();
                lines.map(LogsCommand::parse).forEach(line -> {
                    if (!line.stream().isEmpty()) {
                        streams.add(line.stream());
                    }
                    print(session.out(), line, streams.size() > 1);
                    session.out().flush();
                });
            } else {
                List<LogLine> all = new ArrayList<>();
                lines.map(LogsCommand::parse).forEach(all::add);
                boolean prefix = all.stream().map(LogLine::stream).filter(s -> !s.isEmpty()).distinct().count() > 1;
                all.forEach(line -> print(session.out(), line, prefix));
            }
        } catch (UncheckedIOException e) {
            throw new CliException("reading the logs of " + name + " failed: " + e.getCause().getMessage(), e);
        }
        session.out().flush();
        return 0;
    }

    /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 500ms}. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw CliException.usage("--since takes a duration like 30s, 10m, 2h or 1d, not '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The environment id of a stream name such as {@code 2026/11/22/[$LATEST]abc123}: {@code abc123}. */
    static String environmentId(String streamName) {
        int bracket = streamName.lastIndexOf(']');
        return bracket < 0 ? streamName : streamName.substring(bracket + 1);
    }

    private static LogLine parse(String line) {
        if (line.isBlank()) {
            return new LogLine("", "");
        }
        try {
            JsonNode record = ThunkClient.JSON.readTree(line);
            if (record != null && record.isObject()) {
                return new LogLine(record.path("logStreamName").asText(""), record.path("message").asText(""));
            }
        } catch (JsonProcessingException e) {
            // Not a record: shown as it came rather than lost.
        }
        return new LogLine("", line);
    }

    private static void print(PrintStream out, LogLine line, boolean prefix) {
        if (line.stream().isEmpty() && line.message().isEmpty()) {
            return;
        }
        String message = line.message();
        if (message.endsWith("\n")) {
            message = message.substring(0, message.length() - (message.endsWith("\r\n") ? 2 : 1));
        }
        out.println(prefix && !line.stream().isEmpty() ? "[" + environmentId(line.stream()) + "] " + message
                : message);
    }
}
