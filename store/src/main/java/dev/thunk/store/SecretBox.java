package dev.thunk.store;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Seals secrets (functions' environment variables) before they reach the database: AES-256-GCM with a random
 * 96-bit nonce per value, so equal values never look equal and a changed byte is detected. The key is a file of
 * the data directory, readable by its owner only (mode 0600), created on first start. Whoever can read the data
 * directory can read the key too: this protects copies of the database (backups, support bundles), not a host.
 */
public final class SecretBox {
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key in {@code file}, made first (mode 0600) if the data directory has none yet. */
    public static SecretBox openOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[KEY_BYTES];
                RANDOM.nextBytes(key);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
                } catch (FileAlreadyExistsException e) {
                    // Made meanwhile: read that one.
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).trim());
            if (key.length != KEY_BYTES) {
                throw new StoreException("the key file " + file + " does not hold a " + KEY_BYTES + "-byte key", null);
            }
            return new SecretBox(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new StoreException("the key file " + file + " is not base64: " + e.getMessage(), e);
        }
    }

    /** A box with a fresh key that lives in memory only (for tests of one class). */
    public static SecretBox ephemeral() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return new SecretBox(key);
    }

    /** The sealed form of {@code plain}: base64 of nonce and ciphertext with its tag. */
    public String seal(byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plain bytes of a sealed value; fails when it was sealed with another key or changed since. */
    public byte[] open(String sealed) {
        byte[] in = Base64.getDecoder().decode(sealed);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new StoreException("a sealed value does not open with this data directory's key "
                    + "(a different key file, or a changed database)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
