package dev.thunk.core.access;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * An access key pair of an account, in AWS's shapes: a 20-character id starting with {@code AKIA} (a long-term key)
 * or {@code ASIA} (temporary credentials, see {@link TemporaryCredentials}) and a 40-character secret. Callers sign
 * requests with the secret; the id names the key in the signature.
 */
public record AccessKey(String accessKeyId, String secretAccessKey, String accountId) {
    private static final Pattern ID = Pattern.compile("A[KS]IA[A-Z2-7]{16}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9/+]{40}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** AWS's key ids use the base-32 alphabet; secrets look like base64. */
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";

    public AccessKey {
        if (!ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("an access key id is AKIA or ASIA and 16 base-32 characters: "
                    + accessKeyId);
        }
        if (!SECRET.matcher(secretAccessKey).matches()) {
            throw new IllegalArgumentException("a secret access key is 40 base64 characters");
        }
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
        }
    }

    /** A new key pair for {@code accountId}, drawn from {@code random}. */
    public static AccessKey generate(String accountId, SecureRandom random) {
        return new AccessKey("AKIA" + draw(ID_ALPHABET, 16, random), draw(SECRET_ALPHABET, 40, random), accountId);
    }

    /** A new temporary key pair (an {@code ASIA} id) for {@code accountId}, drawn from {@code random}. */
    static AccessKey generateTemporary(String accountId, SecureRandom random) {
        return new AccessKey("ASIA" + draw(ID_ALPHABET, 16, random), draw(SECRET_ALPHABET, 40, random), accountId);
    }

    private static String draw(String alphabet, int length, SecureRandom random) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** Never prints the secret: keys end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + ", account " + accountId + "]";
    }
}
