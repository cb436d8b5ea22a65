package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What test functions report about themselves: each prints {@code RECORD <json>} lines, and tests read them back
 * from the function's log files in the data directory. Logs reach the host from any sandbox, where a file written
 * by the function would not.
 */
final class Records {
    static final String PREFIX = "RECORD ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {
    }

    /** Every record the function's environments printed, in no particular order across environments. */
    static List<JsonNode> of(Path dataDir, String function) {
        Path dir = dataDir.resolve("logs").resolve(function);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith(PREFIX)) {
                        out.add(JSON.readTree(line.substring(PREFIX.length())));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
