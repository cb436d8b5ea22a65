package dev.thunk.store;

import dev.thunk.core.Alias;
import dev.thunk.core.CodeInfo;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.ProvisionedConcurrencyConfig;
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

class SqliteProvisionedConcurrencyTest {
    private static final Instant WHEN = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private static FunctionVersion function(String name) {
        FunctionConfig config = new FunctionConfig("python3.12", "app.handler", "arn:aws:iam::123456789012:role/r", "",
                128, 3, 512, Map.of(), List.of("x86_64"), List.of(), Optional.empty(), "PassThrough");
        return new FunctionVersion(name, FunctionVersion.LATEST, config, new CodeInfo("sha", "blob", 10, 20),
                Status.ACTIVE, "rev", WHEN);
    }

    private static ProvisionedConcurrencyConfig config(String function, String qualifier, int requested) {
        return new ProvisionedConcurrencyConfig(function, qualifier, requested, WHEN);
    }

    @Test
    void configurationsGoWithTheirFunctionVersionOrAlias() {
        SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"));
        try (SqliteFunctionStore functions = new SqliteFunctionStore(db, SecretBox.ephemeral())) {
            SqliteProvisionedConcurrency configs = new SqliteProvisionedConcurrency(db);
            functions.create(function("f"), Map.of());
            functions.publishVersion("f", (latest, last) -> new FunctionVersion("f", "1", latest.config(),
                    latest.code(), Status.ACTIVE, "rev-1", WHEN));
            functions.publishVersion("f", (latest, last) -> new FunctionVersion("f", "2", latest.config(),
                    latest.code(), Status.ACTIVE, "rev-2", WHEN));
            functions.createAlias(new Alias("f", "live", "2", "", Map.of(), "rev-a"));
            assertTrue(configs.putProvisionedConcurrency(config("f", "1", 2), () -> { }));
            assertTrue(configs.putProvisionedConcurrency(config("f", "live", 3), () -> { }));
            assertFalse(configs.putProvisionedConcurrency(config("missing", "1", 1), () -> { }));
            assertTrue(configs.putProvisionedConcurrency(config("f", "1", 4), () -> { }), "a put replaces");
            assertEquals(List.of(config("f", "1", 4), config("f", "live", 3)), configs.listProvisionedConcurrency("f"));

            functions.deleteVersion("f", 1);
            assertEquals(Optional.empty(), configs.findProvisionedConcurrency("f", "1"));
            functions.deleteAlias("f", "live");
            assertEquals(List.of(), configs.allProvisionedConcurrency());

            configs.putProvisionedConcurrency(config("f", "2", 1), () -> { });
            functions.delete("f");
            assertEquals(List.of(), configs.allProvisionedConcurrency());
        }
    }

    @Test
    void aRefusingCheckStoresNothing() {
        SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"));
        try (SqliteFunctionStore functions = new SqliteFunctionStore(db, SecretBox.ephemeral())) {
            SqliteProvisionedConcurrency configs = new SqliteProvisionedConcurrency(db);
            functions.create(function("f"), Map.of());
            assertThrows(LambdaException.class, () -> configs.putProvisionedConcurrency(config("f", "1", 1), () -> {
                // The check sees the function store inside the same transaction.
                assertTrue(functions.find("f").isPresent());
                throw LambdaException.invalidParameter("refused");
            }));
            assertEquals(List.of(), configs.listProvisionedConcurrency("f"));
            assertFalse(configs.deleteProvisionedConcurrency("f", "1"));
        }
    }
}
