package dev.thunk.engine.logs;

import dev.thunk.core.logs.LogEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileFunctionLogsTest {
    @TempDir
    Path dir;

    private LogStore store;

    @BeforeEach
    void createStore() {
        store = new LogStore(dir);
    }

    /** The stream of a new environment of function f. */
    private LogStream open(String environmentId) {
        return store.open("f", "$LATEST", environmentId, Instant.now());
    }

    /** Writes one invocation the way an environment does, started at {@code startMillis}. */
    private static void invocation(LogStream stream, String id, long startMillis) throws Exception {
        long start = stream.append("START RequestId: " + id + " Version: $LATEST\n");
        // The function's own output goes straight into the file.
        Files.writeString(stream.file(), "output of " + id + "\n", StandardOpenOption.APPEND);
        stream.closeInvocationLater("END RequestId: " + id + "\nREPORT RequestId: " + id + "\n", start, startMillis,
                startMillis + 5);
        stream.writeHeldBack();
    }

    private static List<LogEvent> read(FileFunctionLogs logs, long sinceMillis) {
        List<LogEvent> events = new ArrayList<>();
        logs.read("f", sinceMillis, false, event -> events.add(event));
        return events;
    }

    @Test
    void readersSeeTheTimesOfInvocationsWhoseIndexEntriesAreNotWrittenYet() throws Exception {
        FileFunctionLogs logs = new FileFunctionLogs(store);
        LogStream stream = open("e1");
        long tenMinutesAgo = System.currentTimeMillis() - 600_000;
        invocation(stream, "old", tenMinutesAgo);
        assertEquals(0, Files.size(LogStore.indexOf(stream.file())), "one entry is held for a batch");

        // Read by time: the held entry is written first, so the old invocation keeps its own time instead of the
        // file's (now), and a read from five minutes ago does not show it.
        assertEquals(List.of(), read(logs, tenMinutesAgo + 300_000));
        List<LogEvent> all = read(logs, tenMinutesAgo - 1);
        assertEquals(4, all.size());
        assertTrue(all.stream().allMatch(e -> e.timestamp() == tenMinutesAgo), all.toString());
        stream.close();
    }

    @Test
    void entriesAreWrittenInBatchesAndAtClose() throws Exception {
        LogStream stream = open("e2");
        long now = System.currentTimeMillis();
        for (int i = 0; i < LogStream.INDEX_BATCH + 3; i++) {
            invocation(stream, "r" + i, now);
        }
        Path index = LogStore.indexOf(stream.file());
        assertEquals(LogStream.INDEX_BATCH, Files.readAllLines(index).size(), "one full batch written");
        stream.close();
        assertEquals(LogStream.INDEX_BATCH + 3, Files.readAllLines(index).size(), "the rest at close");
    }

    @Test
    void anEntryOlderThanTheDelayGoesOutWithTheNext() throws Exception {
        LogStream stream = open("e3");
        long now = System.currentTimeMillis();
        invocation(stream, "first", now - LogStream.INDEX_DELAY_MILLIS - 10);
        invocation(stream, "second", now);
        assertEquals(2, Files.readAllLines(LogStore.indexOf(stream.file())).size());
        stream.close();
    }

    @Test
    void heldBackClosingLinesAreWrittenBeforeAnythingElseTouchesTheStream() throws Exception {
        FileFunctionLogs logs = new FileFunctionLogs(store);
        LogStream stream = open("e4");
        long now = System.currentTimeMillis();
        long start = stream.append("START RequestId: a Version: $LATEST\n");
        Files.writeString(stream.file(), "output of a\n", StandardOpenOption.APPEND);
        stream.closeInvocationLater("END RequestId: a\nREPORT RequestId: a\n", start, now, now + 5);
        assertEquals("START RequestId: a Version: $LATEST\noutput of a\n", Files.readString(stream.file()),
                "held back");

        // The next invocation's START is written after them.
        stream.append("START RequestId: b Version: $LATEST\n");
        assertEquals("START RequestId: a Version: $LATEST\noutput of a\nEND RequestId: a\nREPORT RequestId: a\n"
                + "START RequestId: b Version: $LATEST\n", Files.readString(stream.file()));

        // A reader has them written first, with their invocation's index entry.
        long bStart = Files.size(stream.file()) - "START RequestId: b Version: $LATEST\n".length();
        stream.closeInvocationLater("END RequestId: b\nREPORT RequestId: b\n", bStart, now, now + 5);
        List<String> messages = read(logs, now - 1).stream().map(LogEvent::message).toList();
        assertEquals(List.of("START RequestId: a Version: $LATEST", "output of a", "END RequestId: a",
                "REPORT RequestId: a", "START RequestId: b Version: $LATEST", "END RequestId: b",
                "REPORT RequestId: b"), messages.stream().map(String::strip).toList());
        assertEquals(2, Files.readAllLines(LogStore.indexOf(stream.file())).size());
        stream.close();
    }

    @Test
    void closingTheStreamWritesHeldBackLines() throws Exception {
        LogStream stream = open("e5");
        long now = System.currentTimeMillis();
        long start = stream.append("START RequestId: c Version: $LATEST\n");
        stream.closeInvocationLater("END RequestId: c\nREPORT RequestId: c\n", start, now, now + 5);
        stream.close();
        assertTrue(Files.readString(stream.file()).endsWith("END RequestId: c\nREPORT RequestId: c\n"));
        assertEquals(List.of(start + " " + Files.size(stream.file()) + " " + now + " " + (now + 5)),
                Files.readAllLines(LogStore.indexOf(stream.file())));
    }
}
