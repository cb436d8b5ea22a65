package dev.thunk.store;

import dev.thunk.core.ProvisionedConcurrencyConfig;
import dev.thunk.core.ProvisionedConcurrencyStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Provisioned concurrency configurations in the {@code provisioned_concurrency} table, one row per function and
 * qualifier. Foreign keys and triggers delete a row with its function, version or alias.
 */
public final class SqliteProvisionedConcurrency implements ProvisionedConcurrencyStore {
    private static final String COLUMNS = "name, qualifier, requested, last_modified";

    private final SqliteDatabase db;

    public SqliteProvisionedConcurrency(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public boolean putProvisionedConcurrency(ProvisionedConcurrencyConfig config, Runnable check) {
        return db.transaction(c -> {
            check.run();
            // Inserting only while the function exists makes "function deleted meanwhile" a plain false.
            try (PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO provisioned_concurrency ("
                    + COLUMNS + ") SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM functions WHERE name = ?)")) {
                put.setString(1, config.functionName());
                put.setString(2, config.qualifier());
                put.setInt(3, config.requested());
                put.setLong(4, config.lastModified().toEpochMilli());
                put.setString(5, config.functionName());
                return put.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<ProvisionedConcurrencyConfig> findProvisionedConcurrency(String functionName, String qualifier) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM provisioned_concurrency WHERE name = ? AND qualifier = ?")) {
                q.setString(1, functionName);
                q.setString(2, qualifier);
                List<ProvisionedConcurrencyConfig> found = read(q);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
            }
        });
    }

    @Override
    public List<ProvisionedConcurrencyConfig> listProvisionedConcurrency(String functionName) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM provisioned_concurrency WHERE name = ? ORDER BY qualifier")) {
                q.setString(1, functionName);
                return read(q);
            }
        });
    }

    @Override
    public List<ProvisionedConcurrencyConfig> allProvisionedConcurrency() {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM provisioned_concurrency ORDER BY name, qualifier")) {
                return read(q);
            }
        });
    }

    @Override
    public boolean deleteProvisionedConcurrency(String functionName, String qualifier) {
        return db.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM provisioned_concurrency WHERE name = ? AND qualifier = ?")) {
                delete.setString(1, functionName);
                delete.setString(2, qualifier);
                return delete.executeUpdate() == 1;
            }
        });
    }

    private static List<ProvisionedConcurrencyConfig> read(PreparedStatement q) throws SQLException {
        List<ProvisionedConcurrencyConfig> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new ProvisionedConcurrencyConfig(rs.getString(1), rs.getString(2), rs.getInt(3),
                        Instant.ofEpochMilli(rs.getLong(4))));
            }
        }
        return out;
    }
}
