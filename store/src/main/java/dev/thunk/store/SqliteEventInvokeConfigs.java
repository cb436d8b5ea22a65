package dev.thunk.store;

import dev.thunk.core.async.EventInvokeConfig;
import dev.thunk.core.async.EventInvokeConfigStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Event invoke configurations in the {@code event_invoke_configs} table, one row per function and qualifier. */
public final class SqliteEventInvokeConfigs implements EventInvokeConfigStore {
    private static final String COLUMNS =
            "name, qualifier, retry_attempts, max_event_age, on_success, on_failure, last_modified";

    private final SqliteDatabase db;

    public SqliteEventInvokeConfigs(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public boolean putEventInvokeConfig(EventInvokeConfig config) {
        return db.transaction(c -> {
            // Inserting only while the function exists makes "function deleted meanwhile" a plain false.
            try (PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO event_invoke_configs (" + COLUMNS
                    + ") SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM functions WHERE name = ?)")) {
                put.setString(1, config.functionName());
                put.setString(2, config.qualifier());
                setInt(put, 3, config.maximumRetryAttempts());
                setInt(put, 4, config.maximumEventAgeInSeconds());
                put.setString(5, config.onSuccess().orElse(null));
                put.setString(6, config.onFailure().orElse(null));
                put.setLong(7, config.lastModified().toEpochMilli());
                put.setString(8, config.functionName());
                return put.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<EventInvokeConfig> findEventInvokeConfig(String functionName, String qualifier) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM event_invoke_configs WHERE name = ? AND qualifier = ?")) {
                q.setString(1, functionName);
                q.setString(2, qualifier);
                List<EventInvokeConfig> found = read(q);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
            }
        });
    }

    @Override
    public List<EventInvokeConfig> listEventInvokeConfigs(String functionName) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM event_invoke_configs WHERE name = ? ORDER BY qualifier")) {
                q.setString(1, functionName);
                return read(q);
            }
        });
    }

    @Override
    public boolean deleteEventInvokeConfig(String functionName, String qualifier) {
        return db.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM event_invoke_configs WHERE name = ? AND qualifier = ?")) {
                delete.setString(1, functionName);
                delete.setString(2, qualifier);
                return delete.executeUpdate() == 1;
            }
        });
    }

    private static List<EventInvokeConfig> read(PreparedStatement q) throws SQLException {
        List<EventInvokeConfig> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new EventInvokeConfig(rs.getString(1), rs.getString(2), integer(rs, 3), integer(rs, 4),
                        Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)),
                        Instant.ofEpochMilli(rs.getLong(7))));
            }
        }
        return out;
    }

    private static Optional<Integer> integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private static void setInt(PreparedStatement statement, int index, Optional<Integer> value) throws SQLException {
        if (value.isPresent()) {
            statement.setInt(index, value.get());
        } else {
            statement.setNull(index, Types.INTEGER);
        }
    }
}
