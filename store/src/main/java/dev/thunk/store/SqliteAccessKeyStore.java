package dev.thunk.store;

import dev.thunk.core.access.AccessKey;
import dev.thunk.core.access.AccessKeyStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Access keys in the {@code access_keys} table. Verifying SigV4 needs each secret in clear, so secrets are sealed
 * with the data directory's key ({@link SecretBox}) rather than hashed; a copy of the database alone gives none.
 */
public final class SqliteAccessKeyStore implements AccessKeyStore {
    private final SqliteDatabase db;
    private final SecretBox secrets;

    public SqliteAccessKeyStore(SqliteDatabase db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    @Override
    public List<AccessKey> list() {
        return db.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT access_key_id, secret_access_key, account_id "
                    + "FROM access_keys ORDER BY created_at, rowid");
                 ResultSet rs = q.executeQuery()) {
                List<AccessKey> keys = new ArrayList<>();
                while (rs.next()) {
                    keys.add(new AccessKey(rs.getString(1), new String(secrets.open(rs.getString(2)),
                            java.nio.charset.StandardCharsets.UTF_8), rs.getString(3)));
                }
                return keys;
            }
        });
    }

    @Override
    public void add(AccessKey key) {
        db.transaction(c -> {
            try (PreparedStatement put = c.prepareStatement("INSERT INTO access_keys "
                    + "(access_key_id, secret_access_key, account_id, created_at) VALUES (?, ?, ?, ?)")) {
                put.setString(1, key.accessKeyId());
                put.setString(2, secrets.seal(key.secretAccessKey().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                put.setString(3, key.accountId());
                put.setLong(4, System.currentTimeMillis());
                return put.executeUpdate();
            }
        });
    }
}
