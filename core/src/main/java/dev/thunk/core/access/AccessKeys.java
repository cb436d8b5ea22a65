package dev.thunk.core.access;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The keys requests may be signed with, held in memory so that checking a signature never waits on the store
 * (it runs on the event loop). Immutable, so thread-safe: keys are only made at start, before the server listens.
 */
public final class AccessKeys {
    private final List<AccessKey> inOrder;
    private final Map<String, AccessKey> byId;

    private AccessKeys(List<AccessKey> inOrder) {
        this.inOrder = List.copyOf(inOrder);
        this.byId = inOrder.stream().collect(Collectors.toUnmodifiableMap(AccessKey::accessKeyId,
                Function.identity()));
    }

    /** The keys in the order they were made: long-term ones ({@code AKIA}); temporary ones live elsewhere. */
    public static AccessKeys of(List<AccessKey> keys) {
        keys.stream().filter(k -> !k.accessKeyId().startsWith("AKIA")).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("not a long-term key: " + k);
        });
        return new AccessKeys(keys);
    }

    public Optional<AccessKey> find(String accessKeyId) {
        return Optional.ofNullable(byId.get(accessKeyId));
    }

    /** The first key made for the account, if it has one. */
    public Optional<AccessKey> first(String accountId) {
        return inOrder.stream().filter(k -> k.accountId().equals(accountId)).findFirst();
    }

    public List<AccessKey> all() {
        return inOrder;
    }
}
