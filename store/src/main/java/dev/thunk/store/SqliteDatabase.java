package dev.thunk.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one SQLite file of a data directory, in WAL mode, behind one connection. SQLite admits one writer at a time
 * anyway; a single connection guarded by a lock makes every store method a plain critical section, and each
 * statement takes microseconds. Callers run on virtual threads, never on an event loop.
 */
public final class SqliteDatabase implements AutoCloseable {
    /** Bump when the schema changes, with a migration step in {@link #migrate}. */
    static final int SCHEMA_VERSION = 9;

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private SqliteDatabase(Connection connection) {
        this.connection = connection;
    }

    public static SqliteDatabase open(Path file) {
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // NORMAL in WAL mode survives a killed process (not a power cut) at a fraction of FULL's cost.
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA foreign_keys=ON");
            }
            SqliteDatabase db = new SqliteDatabase(connection);
            db.migrate();
            return db;
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} alone on the connection, inside one transaction that commits only if it returns. Called
     * from inside another transaction on the same thread (a change function that reads the store), it joins that
     * transaction: it commits or rolls back with it.
     */
    public <T> T transaction(SqlWork<T> work) {
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) {
                return work.run(connection);
            }
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            int version = s.executeQuery("PRAGMA user_version").getInt(1);
            if (version > SCHEMA_VERSION) {
                throw new StoreException("the database was written by a newer Thunk (schema " + version + ")", null);
            }
            if (version < 1) {
                s.execute("CREATE TABLE functions (name TEXT PRIMARY KEY, blob_id TEXT NOT NULL, "
                        + "code_size INTEGER NOT NULL, doc TEXT NOT NULL)");
                s.execute("CREATE INDEX functions_blob ON functions(blob_id)");
                s.execute("CREATE TABLE tags (name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE, "
                        + "key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, key))");
            }
            if (version < 2) {
                s.execute("CREATE TABLE reserved_concurrency (name TEXT PRIMARY KEY "
                        + "REFERENCES functions(name) ON DELETE CASCADE, reserved INTEGER NOT NULL)");
            }
            if (version < 3) {
                s.execute("CREATE TABLE versions (name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE, "
                        + "version INTEGER NOT NULL, blob_id TEXT NOT NULL, code_size INTEGER NOT NULL, "
                        + "doc TEXT NOT NULL, PRIMARY KEY (name, version))");
                s.execute("CREATE INDEX versions_blob ON versions(blob_id)");
            }
            if (version < 4) {
                s.execute("CREATE TABLE aliases (name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE, "
                        + "alias TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (name, alias))");
            }
            if (version < 5) {
                // One row per layer name keeps its highest version ever published, so numbers are never reused.
                s.execute("CREATE TABLE layers (name TEXT PRIMARY KEY, last_version INTEGER NOT NULL)");
                s.execute("CREATE TABLE layer_versions (name TEXT NOT NULL REFERENCES layers(name), "
                        + "version INTEGER NOT NULL, blob_id TEXT NOT NULL, doc TEXT NOT NULL, "
                        + "PRIMARY KEY (name, version))");
                s.execute("CREATE INDEX layer_versions_blob ON layer_versions(blob_id)");
            }
            if (version < 6) {
                s.execute("CREATE TABLE event_invoke_configs (name TEXT NOT NULL "
                        + "REFERENCES functions(name) ON DELETE CASCADE, qualifier TEXT NOT NULL, "
                        + "retry_attempts INTEGER, max_event_age INTEGER, on_success TEXT, on_failure TEXT, "
                        + "last_modified INTEGER NOT NULL, PRIMARY KEY (name, qualifier))");
                // No foreign key: an event outlives a deleted function, and is dropped when its turn comes.
                s.execute("CREATE TABLE async_queue (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
                        + "request_id TEXT NOT NULL, target TEXT NOT NULL, qualifier TEXT, payload BLOB NOT NULL, "
                        + "attributes TEXT, received_at INTEGER NOT NULL, attempts INTEGER NOT NULL, "
                        + "backoffs INTEGER NOT NULL, next_at INTEGER NOT NULL)");
            }
            if (version < 7) {
                s.execute("CREATE TABLE provisioned_concurrency (name TEXT NOT NULL "
                        + "REFERENCES functions(name) ON DELETE CASCADE, qualifier TEXT NOT NULL, "
                        + "requested INTEGER NOT NULL, last_modified INTEGER NOT NULL, PRIMARY KEY (name, qualifier))");
                // A configuration goes with its version or alias too, whichever code deletes them.
                s.execute("CREATE TRIGGER provisioned_version_deleted AFTER DELETE ON versions BEGIN "
                        + "DELETE FROM provisioned_concurrency WHERE name = OLD.name "
                        + "AND qualifier = CAST(OLD.version AS TEXT); END");
                s.execute("CREATE TRIGGER provisioned_alias_deleted AFTER DELETE ON aliases BEGIN "
                        + "DELETE FROM provisioned_concurrency WHERE name = OLD.name AND qualifier = OLD.alias; END");
            }
            if (version < 8) {
                createAccessTables(s);
            }
            if (version < 9) {
                // An event invoke configuration goes with its version or alias, as with its function.
                s.execute("CREATE TRIGGER event_config_version_deleted AFTER DELETE ON versions BEGIN "
                        + "DELETE FROM event_invoke_configs WHERE name = OLD.name "
                        + "AND qualifier = CAST(OLD.version AS TEXT); END");
                s.execute("CREATE TRIGGER event_config_alias_deleted AFTER DELETE ON aliases BEGIN "
                        + "DELETE FROM event_invoke_configs WHERE name = OLD.name AND qualifier = OLD.alias; END");
            }
            s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        }
    }

    /** Access keys and resource-based policies (schema 8). */
    private static void createAccessTables(Statement s) throws SQLException {
        s.execute("CREATE TABLE access_keys (access_key_id TEXT PRIMARY KEY, secret_access_key TEXT NOT NULL, "
                + "account_id TEXT NOT NULL, created_at INTEGER NOT NULL)");
        // One row per policy (function and qualifier, $LATEST for the unqualified function) holds its revision.
        s.execute("CREATE TABLE policies (name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE, "
                + "qualifier TEXT NOT NULL, revision_id TEXT NOT NULL, PRIMARY KEY (name, qualifier))");
        s.execute("CREATE TABLE policy_statements (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                + "qualifier TEXT NOT NULL, sid TEXT NOT NULL, action TEXT NOT NULL, principal TEXT NOT NULL, "
                + "resource TEXT NOT NULL, source_arn TEXT, source_account TEXT, url_auth_type TEXT, "
                + "FOREIGN KEY (name, qualifier) REFERENCES policies(name, qualifier) ON DELETE CASCADE, "
                + "UNIQUE (name, qualifier, sid))");
        // A version's or alias's policy goes with it, as in AWS; a new alias of the same name starts without one.
        s.execute("CREATE TRIGGER policies_of_deleted_versions AFTER DELETE ON versions BEGIN "
                + "DELETE FROM policies WHERE name = OLD.name AND qualifier = CAST(OLD.version AS TEXT); END");
        s.execute("CREATE TRIGGER policies_of_deleted_aliases AFTER DELETE ON aliases BEGIN "
                + "DELETE FROM policies WHERE name = OLD.name AND qualifier = OLD.alias; END");
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** A unit of work on the connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
