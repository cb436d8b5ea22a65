package dev.thunk.store;

import dev.thunk.core.LayerStore;
import dev.thunk.core.LayerVersion;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * {@link LayerStore} in the data directory's SQLite file, beside the functions. Thread-safe; every method is one
 * transaction. Not closed on its own: it shares the {@link SqliteDatabase} the function store closes.
 */
public final class SqliteLayerStore implements LayerStore {
    private final SqliteDatabase db;

    public SqliteLayerStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public LayerVersion publish(String layerName, IntFunction<LayerVersion> make) {
        return db.transaction(c -> {
            int last = 0;
            try (PreparedStatement q = c.prepareStatement("SELECT last_version FROM layers WHERE name = ?")) {
                q.setString(1, layerName);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        last = rs.getInt(1);
                    }
                }
            }
            LayerVersion layer = make.apply(last + 1);
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO layers (name, last_version) VALUES (?, ?) "
                    + "ON CONFLICT(name) DO UPDATE SET last_version = excluded.last_version")) {
                upsert.setString(1, layerName);
                upsert.setInt(2, layer.version());
                upsert.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO layer_versions (name, version, blob_id, doc) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, layerName);
                insert.setInt(2, layer.version());
                insert.setString(3, layer.code().blobId());
                insert.setString(4, LayerCodec.write(layer));
                insert.executeUpdate();
            }
            return layer;
        });
    }

    @Override
    public Optional<LayerVersion> find(String layerName, int version) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT doc FROM layer_versions WHERE name = ? AND version = ?")) {
                q.setString(1, layerName);
                q.setInt(2, version);
                List<LayerVersion> found = read(q);
                return found.stream().findFirst();
            }
        });
    }

    @Override
    public List<LayerVersion> versions(String layerName) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT doc FROM layer_versions WHERE name = ? ORDER BY version DESC")) {
                q.setString(1, layerName);
                return read(q);
            }
        });
    }

    @Override
    public List<LayerVersion> all() {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT doc FROM layer_versions ORDER BY name, version DESC")) {
                return read(q);
            }
        });
    }

    @Override
    public boolean delete(String layerName, int version) {
        return db.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM layer_versions WHERE name = ? AND version = ?")) {
                delete.setString(1, layerName);
                delete.setInt(2, version);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int codeReferences(String blobId) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM layer_versions WHERE blob_id = ?")) {
                q.setString(1, blobId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.getInt(1);
                }
            }
        });
    }

    private static List<LayerVersion> read(PreparedStatement query) throws SQLException {
        List<LayerVersion> out = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                out.add(LayerCodec.read(rs.getString(1)));
            }
        }
        return out;
    }
}
