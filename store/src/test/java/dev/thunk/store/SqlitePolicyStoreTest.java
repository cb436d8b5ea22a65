package dev.thunk.store;

import dev.thunk.core.Alias;
import dev.thunk.core.CodeInfo;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.Status;
import dev.thunk.core.access.AccessKey;
import dev.thunk.core.access.PolicyStatement;
import dev.thunk.core.access.PolicyStore.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlitePolicyStoreTest {
    @TempDir
    Path dir;

    private static FunctionVersion function(String name) {
        FunctionConfig config = new FunctionConfig("provided.al2023", "bootstrap", "arn:aws:iam::123456789012:role/r",
                "", 128, 3, 512, Map.of(), List.of("x86_64"), List.of(), Optional.empty(), "PassThrough");
        return new FunctionVersion(name, "$LATEST", config, new CodeInfo("s", "blob", 1, 1), Status.ACTIVE, "r",
                Instant.parse("2026-01-02T03:04:05.678Z"));
    }

    private static PolicyStatement statement(String sid) {
        return new PolicyStatement(sid, "lambda:InvokeFunction", "arn:aws:iam::111111111111:root",
                "arn:aws:lambda:us-east-1:000000000000:function:f", Optional.empty(), Optional.of("111111111111"),
                Optional.empty());
    }

    @Test
    void statementsKeepTheirOrderAndTheRevisionGuardsEveryChange() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"))) {
            new SqliteFunctionStore(db, SecretBox.ephemeral()).create(function("f"), Map.of());
            SqlitePolicyStore store = new SqlitePolicyStore(db);
            assertEquals(Outcome.NO_FUNCTION, store.addStatement("g", "$LATEST", statement("a"), Optional.empty(), "r0"));
            assertEquals(Outcome.REVISION_MISMATCH,
                    store.addStatement("f", "$LATEST", statement("a"), Optional.of("r0"), "r1"),
                    "no policy yet has no revision to match");
            assertEquals(Outcome.CHANGED, store.addStatement("f", "$LATEST", statement("a"), Optional.empty(), "r1"));
            assertEquals(Outcome.STATEMENT_EXISTS,
                    store.addStatement("f", "$LATEST", statement("a"), Optional.empty(), "r2"));
            assertEquals(Outcome.REVISION_MISMATCH,
                    store.addStatement("f", "$LATEST", statement("b"), Optional.of("stale"), "r2"));
            assertEquals(Outcome.CHANGED, store.addStatement("f", "$LATEST", statement("b"), Optional.of("r1"), "r2"));
            assertEquals(List.of(statement("a"), statement("b")),
                    store.findPolicy("f", "$LATEST").orElseThrow().statements());
            assertEquals("r2", store.findPolicy("f", "$LATEST").orElseThrow().revisionId());
            assertTrue(store.findPolicy("f", "1").isEmpty(), "each qualifier has its own policy");

            assertEquals(Outcome.NO_STATEMENT, store.removeStatement("f", "$LATEST", "c", Optional.empty(), "r3"));
            assertEquals(Outcome.CHANGED, store.removeStatement("f", "$LATEST", "a", Optional.of("r2"), "r3"));
            assertEquals(Outcome.CHANGED, store.removeStatement("f", "$LATEST", "b", Optional.empty(), "r4"));
            assertTrue(store.findPolicy("f", "$LATEST").isEmpty(), "a policy without statements is gone");
        }
    }

    @Test
    void policiesGoWithTheirFunctionVersionOrAlias() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"))) {
            SqliteFunctionStore functions = new SqliteFunctionStore(db, SecretBox.ephemeral());
            functions.create(function("f"), Map.of());
            functions.publishVersion("f", (latest, last) -> new FunctionVersion("f", "1", latest.config(),
                    latest.code(), Status.ACTIVE, "r1", latest.lastModified()));
            functions.createAlias(new Alias("f", "live", "1", "", Map.of(), "ra"));
            SqlitePolicyStore store = new SqlitePolicyStore(db);
            for (String qualifier : List.of("$LATEST", "1", "live")) {
                store.addStatement("f", qualifier, statement("s"), Optional.empty(), "r");
            }
            functions.deleteAlias("f", "live");
            functions.deleteVersion("f", 1);
            assertTrue(store.findPolicy("f", "live").isEmpty());
            assertTrue(store.findPolicy("f", "1").isEmpty());
            assertTrue(store.findPolicy("f", "$LATEST").isPresent());
            functions.delete("f");
            functions.create(function("f"), Map.of());
            assertTrue(store.findPolicy("f", "$LATEST").isEmpty(), "a new function of the same name starts bare");
        }
    }

    @Test
    void accessKeysReadBackInTheOrderTheyWereMade() {
        AccessKey first = AccessKey.generate("000000000000", new SecureRandom());
        AccessKey second = AccessKey.generate("111111111111", new SecureRandom());
        SecretBox box = SecretBox.ephemeral();
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"))) {
            SqliteAccessKeyStore keys = new SqliteAccessKeyStore(db, box);
            keys.add(first);
            keys.add(second);
        }
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"))) {
            assertEquals(List.of(first, second), new SqliteAccessKeyStore(db, box).list());
        }
        String raw = new String(readAll(dir.resolve("t.db")), java.nio.charset.StandardCharsets.ISO_8859_1)
                + new String(readAll(dir.resolve("t.db-wal")), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!raw.contains(first.secretAccessKey()) && !raw.contains(second.secretAccessKey()),
                "secrets are sealed in the database");
    }

    private static byte[] readAll(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.exists(file) ? java.nio.file.Files.readAllBytes(file) : new byte[0];
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
