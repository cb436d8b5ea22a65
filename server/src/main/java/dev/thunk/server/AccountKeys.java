package dev.thunk.server;

import dev.thunk.core.access.AccessKey;
import dev.thunk.core.access.AccessKeyStore;
import dev.thunk.core.access.AccessKeys;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure the server's account, and every other account named with {@code --add-account}, has an access key
 * pair: the first start makes one from {@link SecureRandom}, later starts find it in the store.
 */
final class AccountKeys {
    private AccountKeys() {
    }

    /** The stored keys, after adding one for each of {@code accounts} that has none. */
    static AccessKeys ensure(AccessKeyStore store, List<String> accounts) {
        List<AccessKey> keys = new ArrayList<>(store.list());
        SecureRandom random = new SecureRandom();
        for (String account : accounts) {
            if (keys.stream().noneMatch(k -> k.accountId().equals(account))) {
                AccessKey key = AccessKey.generate(account, random);
                store.add(key);
                keys.add(key);
            }
        }
        return AccessKeys.of(keys);
    }
}
