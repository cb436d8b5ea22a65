package dev.thunk.server;

import dev.thunk.core.access.AccessKey;
import dev.thunk.core.access.AccessKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The keys as an AWS shared-credentials file, so that {@code AWS_SHARED_CREDENTIALS_FILE=<file> aws --profile
 * thunk} and the SDKs' profile providers sign for Thunk: profile {@code thunk} holds the server's own account's
 * key, {@code thunk-<account id>} each other account's. No region: the file only holds credentials. Written
 * readable by its owner only, and replaced whole so a reader never sees half of it.
 */
final class CredentialsFile {
    static final String PROFILE = "thunk";

    private CredentialsFile() {
    }

    static void write(Path file, String ownAccount, AccessKeys keys) {
        StringBuilder out = new StringBuilder("# Written by Thunk at each start: its access keys, one profile per "
                + "account.\n");
        keys.first(ownAccount).ifPresent(key -> profile(out, PROFILE, key));
        Set<String> others = new LinkedHashSet<>();
        keys.all().stream().map(AccessKey::accountId).filter(id -> !id.equals(ownAccount)).forEach(others::add);
        others.forEach(id -> keys.first(id).ifPresent(key -> profile(out, profileOf(id), key)));
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(temporary, out, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the credentials file " + file, e);
        }
    }

    /** The profile of another account's key. */
    static String profileOf(String accountId) {
        return PROFILE + "-" + accountId;
    }

    private static void profile(StringBuilder out, String name, AccessKey key) {
        out.append('\n').append('[').append(name).append("]\n")
                .append("aws_access_key_id = ").append(key.accessKeyId()).append('\n')
                .append("aws_secret_access_key = ").append(key.secretAccessKey()).append('\n');
    }
}
