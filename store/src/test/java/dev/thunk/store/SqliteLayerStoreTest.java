package dev.thunk.store;

import dev.thunk.core.CodeInfo;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionLayer;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LayerVersion;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteLayerStoreTest {
    @TempDir
    Path dir;

    private static LayerVersion layer(String name, int version, String blob) {
        return new LayerVersion(name, version, "d", List.of("python3.12"), List.of("arm64"), "MIT",
                new CodeInfo("sha-" + blob, blob, 10, 20), Instant.parse("2026-01-02T03:04:05.678Z"));
    }

    @Test
    void numbersVersionsWithoutReuseAndReadsThemBackAfterReopening() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"))) {
            SqliteLayerStore store = new SqliteLayerStore(db);
            assertEquals(layer("lib", 1, "b1"), store.publish("lib", n -> layer("lib", n, "b1")));
            store.publish("lib", n -> layer("lib", n, "b2"));
            store.publish("other", n -> layer("other", n, "b1"));
            assertTrue(store.delete("lib", 2));
            assertFalse(store.delete("lib", 2));
            assertEquals(3, store.publish("lib", n -> layer("lib", n, "b3")).version());
        }
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"))) {
            SqliteLayerStore store = new SqliteLayerStore(db);
            assertEquals(List.of(3, 1), store.versions("lib").stream().map(LayerVersion::version).toList());
            assertEquals(List.of("lib:3", "lib:1", "other:1"), store.all().stream()
                    .map(l -> l.layerName() + ":" + l.version()).toList());
            assertEquals(Optional.of(layer("lib", 1, "b1")), store.find("lib", 1));
            assertEquals(2, store.codeReferences("b1"));
        }
    }

    @Test
    void functionsCountAsHoldersOfTheirLayerCopies() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("t.db"))) {
            SqliteFunctionStore functions = new SqliteFunctionStore(db, SecretBox.ephemeral());
            FunctionConfig config = new FunctionConfig("python3.12", "app.handler", "arn:aws:iam::123456789012:role/r",
                    "", 128, 3, 512, Map.of(), List.of("x86_64"),
                    List.of(new FunctionLayer("arn:aws:lambda:us-east-1:123456789012:layer:lib:1",
                            new CodeInfo("sha", "layer-blob", 10, 20))), Optional.empty(), "PassThrough");
            FunctionVersion f = new FunctionVersion("f", "$LATEST", config, new CodeInfo("s", "code-blob", 1, 1),
                    Status.ACTIVE, "r", Instant.parse("2026-01-02T03:04:05.678Z"));
            functions.create(f, Map.of());
            assertEquals(f, functions.find("f").orElseThrow(), "the layer copy reads back whole");
            functions.publishVersion("f", (latest, last) -> new FunctionVersion("f", "1", latest.config(),
                    latest.code(), Status.ACTIVE, "r1", latest.lastModified()));
            assertEquals(2, functions.codeReferences("layer-blob"), "$LATEST and version 1 each hold it");
            functions.delete("f");
            assertEquals(0, functions.codeReferences("layer-blob"));
        }
    }
}
