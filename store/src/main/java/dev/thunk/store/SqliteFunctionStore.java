package dev.thunk.store;

import dev.thunk.core.Alias;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

/** {@link FunctionStore} in the data directory's SQLite file. Thread-safe; every method is one transaction. */
public final class SqliteFunctionStore implements FunctionStore {
    private final SqliteDatabase db;
    private final SecretBox secrets;

    /** @param secrets seals the functions' environment variables in the database */
    public SqliteFunctionStore(SqliteDatabase db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    private FunctionVersion decode(String doc) {
        return FunctionCodec.read(doc, secrets);
    }

    @Override
    public boolean create(FunctionVersion function, Map<String, String> tags) {
        return db.transaction(c -> {
            if (find(c, function.name()).isPresent()) {
                return false;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO functions (name, blob_id, code_size, doc) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, function.name());
                insert.setString(2, function.code().blobId());
                insert.setLong(3, function.code().size());
                insert.setString(4, FunctionCodec.write(function, secrets));
                insert.executeUpdate();
            }
            writeTags(c, function.name(), tags);
            return true;
        });
    }

    @Override
    public Optional<FunctionVersion> find(String name) {
        return db.transaction(c -> find(c, name));
    }

    @Override
    public List<FunctionVersion> list(Optional<String> afterName, int limit) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT doc FROM functions WHERE name > ? ORDER BY name LIMIT ?")) {
                q.setString(1, afterName.orElse(""));
                q.setInt(2, limit);
                return docs(q, this::decode);
            }
        });
    }

    @Override
    public Optional<FunctionVersion> update(String name, UnaryOperator<FunctionVersion> change) {
        return db.transaction(c -> {
            Optional<FunctionVersion> current = find(c, name);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            FunctionVersion next = change.apply(current.get());
            if (next == current.get()) {
                return current;
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE functions SET blob_id = ?, code_size = ?, doc = ? WHERE name = ?")) {
                update.setString(1, next.code().blobId());
                update.setLong(2, next.code().size());
                update.setString(3, FunctionCodec.write(next, secrets));
                update.setString(4, name);
                update.executeUpdate();
            }
            return Optional.of(next);
        });
    }

    @Override
    public boolean delete(String name) {
        return db.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM functions WHERE name = ?")) {
                delete.setString(1, name);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Map<String, String> tags(String name) {
        return db.transaction(c -> readTags(c, name));
    }

    @Override
    public boolean updateTags(String name, UnaryOperator<Map<String, String>> change) {
        return db.transaction(c -> {
            if (find(c, name).isEmpty()) {
                return false;
            }
            Map<String, String> next = change.apply(readTags(c, name));
            try (PreparedStatement clear = c.prepareStatement("DELETE FROM tags WHERE name = ?")) {
                clear.setString(1, name);
                clear.executeUpdate();
            }
            writeTags(c, name, next);
            return true;
        });
    }

    @Override
    public Optional<FunctionVersion> publishVersion(String name,
                                                    BiFunction<FunctionVersion, Optional<FunctionVersion>,
                                                            FunctionVersion> make) {
        return db.transaction(c -> {
            Optional<FunctionVersion> latest = find(c, name);
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            Optional<FunctionVersion> last;
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT doc FROM versions WHERE name = ? ORDER BY version DESC LIMIT 1")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    last = rs.next() ? Optional.of(FunctionCodec.read(rs.getString(1), secrets)) : Optional.empty();
                }
            }
            FunctionVersion published = make.apply(latest.get(), last);
            if (last.isPresent() && published == last.get()) {
                return last;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO versions (name, version, blob_id, code_size, doc) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, name);
                insert.setInt(2, Integer.parseInt(published.version()));
                insert.setString(3, published.code().blobId());
                insert.setLong(4, published.code().size());
                insert.setString(5, FunctionCodec.write(published, secrets));
                insert.executeUpdate();
            }
            return Optional.of(published);
        });
    }

    @Override
    public Optional<FunctionVersion> findVersion(String name, int version) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT doc FROM versions WHERE name = ? AND version = ?")) {
                q.setString(1, name);
                q.setInt(2, version);
                return firstDoc(q, this::decode);
            }
        });
    }

    @Override
    public List<FunctionVersion> listVersions(String name, int afterVersion, int limit) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT doc FROM versions WHERE name = ? AND version > ? ORDER BY version LIMIT ?")) {
                q.setString(1, name);
                q.setInt(2, afterVersion);
                q.setInt(3, limit);
                return docs(q, this::decode);
            }
        });
    }

    @Override
    public boolean deleteVersion(String name, int version) {
        return db.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM versions WHERE name = ? AND version = ?")) {
                delete.setString(1, name);
                delete.setInt(2, version);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean createAlias(Alias alias) {
        return db.transaction(c -> {
            if (findAlias(c, alias.functionName(), alias.name()).isPresent()) {
                return false;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO aliases (name, alias, doc) VALUES (?, ?, ?)")) {
                insert.setString(1, alias.functionName());
                insert.setString(2, alias.name());
                insert.setString(3, FunctionCodec.writeAlias(alias));
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<Alias> findAlias(String functionName, String alias) {
        return db.transaction(c -> findAlias(c, functionName, alias));
    }

    @Override
    public List<Alias> listAliases(String functionName) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT doc FROM aliases WHERE name = ? ORDER BY alias")) {
                q.setString(1, functionName);
                return docs(q, FunctionCodec::readAlias);
            }
        });
    }

    @Override
    public Optional<Alias> updateAlias(String functionName, String alias, UnaryOperator<Alias> change) {
        return db.transaction(c -> {
            Optional<Alias> current = findAlias(c, functionName, alias);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Alias next = change.apply(current.get());
            try (PreparedStatement update = c.prepareStatement("UPDATE aliases SET doc = ? WHERE name = ? AND alias = ?")) {
                update.setString(1, FunctionCodec.writeAlias(next));
                update.setString(2, functionName);
                update.setString(3, alias);
                update.executeUpdate();
            }
            return Optional.of(next);
        });
    }

    @Override
    public boolean deleteAlias(String functionName, String alias) {
        return db.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM aliases WHERE name = ? AND alias = ?")) {
                delete.setString(1, functionName);
                delete.setString(2, alias);
                return delete.executeUpdate() == 1;
            }
        });
    }

    private static Optional<Alias> findAlias(Connection c, String functionName, String alias) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT doc FROM aliases WHERE name = ? AND alias = ?")) {
            q.setString(1, functionName);
            q.setString(2, alias);
            return firstDoc(q, FunctionCodec::readAlias);
        }
    }

    @Override
    public OptionalInt reservedConcurrency(String name) {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT reserved FROM reserved_concurrency WHERE name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
                }
            }
        });
    }

    @Override
    public boolean setReservedConcurrency(String name, OptionalInt reserved, IntConsumer checkTotal) {
        return db.transaction(c -> {
            if (find(c, name).isEmpty()) {
                return false;
            }
            int others;
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT coalesce(sum(reserved), 0) FROM reserved_concurrency WHERE name <> ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    others = rs.getInt(1);
                }
            }
            checkTotal.accept(others + reserved.orElse(0));
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM reserved_concurrency WHERE name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
            if (reserved.isPresent()) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO reserved_concurrency (name, reserved) VALUES (?, ?)")) {
                    insert.setString(1, name);
                    insert.setInt(2, reserved.getAsInt());
                    insert.executeUpdate();
                }
            }
            return true;
        });
    }

    @Override
    public Map<String, Integer> reservedConcurrencies() {
        return db.transaction(c -> {
            Map<String, Integer> all = new TreeMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT name, reserved FROM reserved_concurrency");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    all.put(rs.getString(1), rs.getInt(2));
                }
            }
            return all;
        });
    }

    @Override
    public int codeReferences(String blobId) {
        return db.transaction(c -> {
            // A function's or version's copies of its layers hold packages too; they live in its document.
            try (PreparedStatement q = c.prepareStatement("SELECT (SELECT count(*) FROM functions WHERE blob_id = ?) "
                    + "+ (SELECT count(*) FROM versions WHERE blob_id = ?) "
                    + "+ (SELECT count(*) FROM functions, json_each(functions.doc, '$.config.layers') l "
                    + "WHERE json_extract(l.value, '$.blobId') = ?) "
                    + "+ (SELECT count(*) FROM versions, json_each(versions.doc, '$.config.layers') l "
                    + "WHERE json_extract(l.value, '$.blobId') = ?)")) {
                for (int i = 1; i <= 4; i++) {
                    q.setString(i, blobId);
                }
                try (ResultSet rs = q.executeQuery()) {
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public int count() {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM functions");
                 ResultSet rs = q.executeQuery()) {
                return rs.getInt(1);
            }
        });
    }

    @Override
    public long totalCodeSize() {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT (SELECT coalesce(sum(code_size), 0) FROM functions) "
                    + "+ (SELECT coalesce(sum(code_size), 0) FROM versions)");
                 ResultSet rs = q.executeQuery()) {
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }

    /** The first row's {@code doc} column, decoded; empty when the query finds nothing. */
    private static <T> Optional<T> firstDoc(PreparedStatement query, java.util.function.Function<String, T> decode)
            throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? Optional.of(decode.apply(rs.getString(1))) : Optional.empty();
        }
    }

    /** Every row's single {@code doc} column, decoded, in the query's order. */
    private static <T> List<T> docs(PreparedStatement query, java.util.function.Function<String, T> decode)
            throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                out.add(decode.apply(rs.getString(1)));
            }
        }
        return out;
    }

    private Optional<FunctionVersion> find(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT doc FROM functions WHERE name = ?")) {
            q.setString(1, name);
            return firstDoc(q, this::decode);
        }
    }

    private static Map<String, String> readTags(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT key, value FROM tags WHERE name = ? ORDER BY key")) {
            q.setString(1, name);
            Map<String, String> tags = new TreeMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    tags.put(rs.getString(1), rs.getString(2));
                }
            }
            return tags;
        }
    }

    private static void writeTags(Connection c, String name, Map<String, String> tags) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO tags (name, key, value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                insert.setString(1, name);
                insert.setString(2, tag.getKey());
                insert.setString(3, tag.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
