package dev.thunk.store;

import dev.thunk.core.CodeInfo;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteFunctionStoreTest {
    @TempDir
    Path dir;
    private final SecretBox secrets = SecretBox.ephemeral();

    private static FunctionVersion function(String name, String blob) {
        FunctionConfig config = new FunctionConfig("python3.12", "app.handler", "arn:aws:iam::123456789012:role/r", "d",
                256, 5, 512, Map.of("K1", "v", "DATABASE_PASSWORD_OF_THE_TEST", "s3cr3t-value"), List.of("x86_64"),
                List.of(),
                Optional.of("arn:aws:sqs:us-east-1:123456789012:dlq"), "PassThrough");
        return new FunctionVersion(name, "$LATEST", config, new CodeInfo("sha", blob, 10, 20), Status.CREATING,
                "rev-1", Instant.parse("2026-01-02T03:04:05.678Z"));
    }

    @Test
    void storesAndReadsBackEveryField() {
        try (SqliteFunctionStore store = new SqliteFunctionStore(SqliteDatabase.open(dir.resolve("t.db")), secrets)) {
            FunctionVersion f = function("f", "b1");
            assertTrue(store.create(f, Map.of("t", "1")));
            assertFalse(store.create(function("f", "b2"), Map.of()), "names are unique");
            assertEquals(f, store.find("f").orElseThrow());
            assertEquals(Map.of("t", "1"), store.tags("f"));
        }
        try (SqliteFunctionStore reopened = new SqliteFunctionStore(SqliteDatabase.open(dir.resolve("t.db")), secrets)) {
            assertEquals(function("f", "b1"), reopened.find("f").orElseThrow(), "survives closing the database");
        }
    }

    @Test
    void aFailingChangeChangesNothing() {
        try (SqliteFunctionStore store = new SqliteFunctionStore(SqliteDatabase.open(dir.resolve("t.db")), secrets)) {
            store.create(function("f", "b1"), Map.of());
            assertThrows(LambdaException.class, () -> store.update("f", current -> {
                throw LambdaException.revisionMismatch();
            }));
            assertEquals(function("f", "b1"), store.find("f").orElseThrow());
            assertEquals(Optional.empty(), store.update("missing", current -> current));
        }
    }

    @Test
    void aChangeMayReadTheStoreInsideItsTransaction() {
        try (SqliteFunctionStore store = new SqliteFunctionStore(SqliteDatabase.open(dir.resolve("t.db")), secrets)) {
            store.create(function("f", "b1"), Map.of());
            store.create(function("g", "b2"), Map.of());
            FunctionVersion changed = store.update("f", current -> current.withStatus(current.status(),
                    store.find("g").orElseThrow().code().blobId())).orElseThrow();
            assertEquals("b2", changed.revisionId());
            assertEquals("b2", store.find("f").orElseThrow().revisionId(), "the outer transaction committed");
        }
    }

    @Test
    void listsInNameOrderAfterAMarkerAndCountsCode() {
        try (SqliteFunctionStore store = new SqliteFunctionStore(SqliteDatabase.open(dir.resolve("t.db")), secrets)) {
            for (String name : List.of("c", "a", "b")) {
                store.create(function(name, "blob"), Map.of());
            }
            assertEquals(List.of("a", "b"), store.list(Optional.empty(), 2).stream().map(FunctionVersion::name).toList());
            assertEquals(List.of("c"), store.list(Optional.of("b"), 2).stream().map(FunctionVersion::name).toList());
            assertEquals(3, store.codeReferences("blob"));
            assertEquals(30, store.totalCodeSize());
            assertTrue(store.delete("a"));
            assertFalse(store.delete("a"));
            assertEquals(2, store.count());
        }
    }

    @Test
    void environmentVariablesAreSealedAtRestAndOpenOnlyWithTheirKey() throws Exception {
        Path key = dir.resolve("secret.key");
        try (SqliteFunctionStore store = new SqliteFunctionStore(SqliteDatabase.open(dir.resolve("t.db")),
                SecretBox.openOrCreate(key))) {
            store.create(function("f", "b1"), Map.of());
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(key)));
        for (String file : List.of("t.db", "t.db-wal")) {
            Path path = dir.resolve(file);
            if (java.nio.file.Files.exists(path)) {
                String raw = new String(java.nio.file.Files.readAllBytes(path), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(raw.contains("s3cr3t-value"), "no plain secret in " + file);
                assertFalse(raw.contains("DATABASE_PASSWORD_OF_THE_TEST"), "not even the names, in " + file);
            }
        }
        try (SqliteFunctionStore reopened = new SqliteFunctionStore(SqliteDatabase.open(dir.resolve("t.db")),
                SecretBox.openOrCreate(key))) {
            assertEquals("s3cr3t-value", reopened.find("f").orElseThrow().config().environment()
                    .get("DATABASE_PASSWORD_OF_THE_TEST"));
        }
        try (SqliteFunctionStore otherKey = new SqliteFunctionStore(SqliteDatabase.open(dir.resolve("t.db")),
                SecretBox.ephemeral())) {
            StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                    () -> otherKey.find("f"));
            assertTrue(e.getMessage().contains("does not open with this data directory's key"), e.getMessage());
        }
    }
}
