package dev.thunk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thunk.core.async.EventQueue;
import dev.thunk.core.async.QueuedEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The asynchronous queue in the {@code async_queue} table, written with group commit: one writer thread takes
 * every change waiting, applies them in one transaction and only then completes their futures. A commit costs
 * about as much for one event as for hundreds, so under load many callers share each commit, and none is told
 * "accepted" before its event is in the database.
 */
public final class SqliteEventQueue implements EventQueue {
    private static final Logger LOG = Logger.getLogger(SqliteEventQueue.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Caps one transaction, so a flood of events still gets acknowledged in steady steps. */
    private static final int MAX_BATCH = 1024;
    private static final String COLUMNS = "id, kind, request_id, target, qualifier, payload, attributes, "
            + "received_at, attempts, backoffs, next_at";

    private final SqliteDatabase db;
    private final AtomicLong lastId;
    private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public SqliteEventQueue(SqliteDatabase db) {
        this.db = db;
        this.lastId = new AtomicLong(db.transaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(id), 0) FROM async_queue")) {
                return rs.getLong(1);
            }
        }));
        this.writer = Thread.ofPlatform().name("thunk-async-queue-writer").daemon().start(this::writeLoop);
    }

    @Override
    public CompletableFuture<List<QueuedEvent>> append(List<QueuedEvent> entries) {
        List<QueuedEvent> numbered = number(entries);
        Change change = new Change(numbered, List.of(), Optional.empty());
        submit(change);
        return change.done.thenApply(ignored -> numbered);
    }

    @Override
    public CompletableFuture<Void> reschedule(QueuedEvent entry) {
        Change change = new Change(List.of(), List.of(entry), Optional.empty());
        submit(change);
        return change.done;
    }

    @Override
    public CompletableFuture<List<QueuedEvent>> finish(QueuedEvent entry, List<QueuedEvent> followUps) {
        List<QueuedEvent> numbered = number(followUps);
        Change change = new Change(numbered, List.of(), Optional.of(entry.id()));
        submit(change);
        return change.done.thenApply(ignored -> numbered);
    }

    @Override
    public List<QueuedEvent> pending() {
        return db.transaction(c -> {
            List<QueuedEvent> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM async_queue ORDER BY id");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    /** Stops taking changes; those already taken are committed first. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Change left;
        while ((left = changes.poll()) != null) {
            left.done.completeExceptionally(new StoreException("the event queue is closed", null));
        }
    }

    /**
     * One unit of change, committed whole: entries to add, entries to update, and an entry to remove.
     */
    private record Change(List<QueuedEvent> inserts, List<QueuedEvent> updates, Optional<Long> delete,
                          CompletableFuture<Void> done) {
        Change(List<QueuedEvent> inserts, List<QueuedEvent> updates, Optional<Long> delete) {
            this(inserts, updates, delete, new CompletableFuture<>());
        }
    }

    private void submit(Change change) {
        if (closed) {
            change.done.completeExceptionally(new StoreException("the event queue is closed", null));
            return;
        }
        changes.add(change);
    }

    private List<QueuedEvent> number(List<QueuedEvent> entries) {
        return entries.stream().map(e -> e.withId(lastId.incrementAndGet())).toList();
    }

    private void writeLoop() {
        List<Change> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(changes.take());
            } catch (InterruptedException e) {
                if (closed && changes.isEmpty()) {
                    return;
                }
                continue;
            }
            changes.drainTo(batch, MAX_BATCH - 1);
            try {
                db.transaction(c -> {
                    apply(c, batch);
                    return null;
                });
                batch.forEach(change -> change.done.complete(null));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "cannot write " + batch.size() + " change(s) to the event queue", e);
                batch.forEach(change -> change.done.completeExceptionally(e));
            }
            batch.clear();
        }
    }

    private static void apply(Connection c, List<Change> batch) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO async_queue (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement update = c.prepareStatement(
                     "UPDATE async_queue SET attempts = ?, backoffs = ?, next_at = ? WHERE id = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM async_queue WHERE id = ?")) {
            for (Change change : batch) {
                for (QueuedEvent e : change.inserts) {
                    insert.setLong(1, e.id());
                    insert.setString(2, e.kind().name());
                    insert.setString(3, e.requestId());
                    insert.setString(4, e.target());
                    insert.setString(5, e.qualifier().orElse(null));
                    insert.setBytes(6, e.payload());
                    insert.setString(7, e.attributes().isEmpty() ? null : json(e.attributes()));
                    insert.setLong(8, e.receivedAt());
                    insert.setInt(9, e.attempts());
                    insert.setInt(10, e.backoffs());
                    insert.setLong(11, e.nextAt());
                    insert.executeUpdate();
                }
                for (QueuedEvent e : change.updates) {
                    update.setInt(1, e.attempts());
                    update.setInt(2, e.backoffs());
                    update.setLong(3, e.nextAt());
                    update.setLong(4, e.id());
                    update.executeUpdate();
                }
                if (change.delete.isPresent()) {
                    delete.setLong(1, change.delete.get());
                    delete.executeUpdate();
                }
            }
        }
    }

    private static QueuedEvent read(ResultSet rs) throws SQLException {
        String attributes = rs.getString(7);
        return new QueuedEvent(rs.getLong(1), QueuedEvent.Kind.valueOf(rs.getString(2)), rs.getString(3),
                rs.getString(4), Optional.ofNullable(rs.getString(5)), rs.getBytes(6),
                attributes == null ? Map.of() : attributes(attributes), rs.getLong(8), rs.getInt(9), rs.getInt(10),
                rs.getLong(11));
    }

    private static String json(Map<String, String> attributes) {
        try {
            return JSON.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> attributes(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("unreadable attributes in the event queue: " + e.getMessage(), e);
        }
    }
}
