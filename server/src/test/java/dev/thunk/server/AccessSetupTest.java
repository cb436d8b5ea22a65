package dev.thunk.server;

import dev.thunk.core.access.AccessKey;
import dev.thunk.core.access.AccessKeyStore;
import dev.thunk.core.access.AccessKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessSetupTest {
    /** A store in a list. */
    private static final class ListStore implements AccessKeyStore {
        final List<AccessKey> keys = new ArrayList<>();

        @Override
        public List<AccessKey> list() {
            return List.copyOf(keys);
        }

        @Override
        public void add(AccessKey key) {
            keys.add(key);
        }
    }

    @Test
    void keysAreMadeOncePerAccount() {
        ListStore store = new ListStore();
        AccessKeys first = AccountKeys.ensure(store, List.of("000000000000", "111111111111"));
        AccessKeys again = AccountKeys.ensure(store, List.of("000000000000"));
        assertEquals(2, store.keys.size());
        assertEquals(first.first("000000000000"), again.first("000000000000"));
        assertTrue(again.first("111111111111").isPresent(), "a key made once stays");
    }

    @Test
    void theCredentialsFileHasOneProfilePerAccountNoRegionAndOnlyItsOwnerMayReadIt(@TempDir Path dir)
            throws IOException {
        AccessKeys keys = AccountKeys.ensure(new ListStore(), List.of("000000000000", "111111111111"));
        Path file = dir.resolve("aws-credentials");
        CredentialsFile.write(file, "000000000000", keys);
        String text = Files.readString(file);
        AccessKey own = keys.first("000000000000").orElseThrow();
        assertTrue(text.contains("[thunk]\naws_access_key_id = " + own.accessKeyId() + "\naws_secret_access_key = "
                + own.secretAccessKey() + "\n"), text);
        assertTrue(text.contains("[thunk-111111111111]\n"), text);
        assertFalse(text.contains("region"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void optionsTurnSigningOffAndAddAccounts() {
        ServerConfig config = ServerConfig.parse(List.of("--no-auth", "--add-account", "111111111111",
                "--add-account", "222222222222"));
        assertFalse(config.access().verifySignatures());
        assertEquals(List.of("111111111111", "222222222222"), config.access().otherAccounts());
        assertTrue(ServerConfig.parse(List.of()).access().verifySignatures());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse(List.of("--add-account", "12")));
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(List.of("--add-account", "000000000000")));
    }
}
