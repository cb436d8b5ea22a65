package dev.thunk.engine;

import dev.thunk.core.FunctionVersion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
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
        return TestFunctions.version(name, version, revision);
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
        registry.retire("gone", Optional.empty(), System.nanoTime());
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
        registry.retire("f", Optional.of(FunctionVersion.LATEST), System.nanoTime());
        assertTrue(latest.retired());
        assertFalse(published.retired());
        assertFalse(registry.poolOf(version("f", "$LATEST", "r2")).retired(), "the new revision's pool is live");
    }

    /** A deleted version's environments end; the function's other versions keep theirs. */
    @Test
    void deletingAVersionRetiresOnlyThatVersion() {
        FunctionPool latest = registry.poolOf(version("f", "$LATEST", "r1"));
        FunctionPool one = registry.poolOf(version("f", "1", "r0"));
        FunctionPool two = registry.poolOf(version("f", "2", "r1"));
        registry.retire("f", Optional.of("1"), System.nanoTime());
        assertTrue(one.retired());
        assertFalse(latest.retired());
        assertFalse(two.retired());
        assertEquals(2, registry.live().size());
    }
}
