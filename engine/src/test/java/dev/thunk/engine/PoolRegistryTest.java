package dev.thunk.engine;

import dev.thunk.core.CodeInfo;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolRegistryTest {
    private final List<FunctionPool> made = new ArrayList<>();
    private final PoolRegistry registry = new PoolRegistry(f -> {
        FunctionPool pool = new FunctionPool(f, (p, provisioned) -> { }, true);
        made.add(pool);
        return pool;
    });

    private static FunctionVersion version(String name, String version, String revision) {
        FunctionConfig config = new FunctionConfig("python3.12", "app.handler", "arn:aws:iam::123456789012:role/r",
                "", 128, 3, 512, Map.of(), List.of("x86_64"), List.of(), Optional.empty(), "PassThrough");
        return new FunctionVersion(name, version, config, new CodeInfo("sha", "blob", 1, 1), Status.ACTIVE, revision,
                Instant.now());
    }

    @Test
    void oneLivePoolPerFunctionVersionAndRevision() {
        FunctionPool first = registry.poolOf(version("f", "$LATEST", "r1"));
        assertSame(first, registry.poolOf(version("f", "$LATEST", "r1")));
        assertNotSame(first, registry.poolOf(version("f", "$LATEST", "r2")));
        assertNotSame(first, registry.poolOf(version("f", "1", "r1")));
        assertEquals(3, registry.live().size());
    }

    /**
     * An invocation that resolved the function just before it was deleted (or updated) reaches the registry after
     * its pools were retired: it gets a pool of its own that is retired at once, not a live one nobody would ever
     * retire, whose environment would idle on for a function that is gone.
     */
    @Test
    void aPoolAskedForAfterItsFunctionWasRetiredIsRetiredFromTheStart() {
        FunctionVersion stale = version("gone", "$LATEST", "r1");
        FunctionPool before = registry.poolOf(stale);
        FunctionPool other = registry.poolOf(version("kept", "$LATEST", "r1"));
        registry.retire("gone", false, System.nanoTime());
        assertTrue(before.retired());
        assertFalse(other.retired());

        FunctionPool late = registry.poolOf(stale);
        assertNotSame(before, late);
        assertTrue(late.retired(), "the late invocation's pool serves it and ends");
        assertEquals(List.of(other), List.copyOf(registry.live()), "no live pool of the retired function");
        assertEquals(3, registry.all().count(), "retired pools stay reachable until they are empty");

        // Its key is forgotten after a while; retired pools with nothing in them are dropped.
        registry.forget(System.nanoTime() + PoolRegistry.RETIRED_KEY_NANOS + 1);
        assertEquals(1, registry.all().count());
        assertFalse(registry.poolOf(stale).retired());
    }

    @Test
    void updatingLatestRetiresOnlyLatest() {
        FunctionPool latest = registry.poolOf(version("f", "$LATEST", "r1"));
        FunctionPool published = registry.poolOf(version("f", "1", "r0"));
        registry.retire("f", true, System.nanoTime());
        assertTrue(latest.retired());
        assertFalse(published.retired());
        assertFalse(registry.poolOf(version("f", "$LATEST", "r2")).retired(), "the new revision's pool is live");
    }
}
