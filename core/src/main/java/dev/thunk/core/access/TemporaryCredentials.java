package dev.thunk.core.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The temporary credentials an execution environment gets in {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}, as a function on AWS gets its execution role's. Thunk
 * has no IAM roles: they act for the function's account, with the rights of the account's own keys, until they
 * expire or their environment ends; a request signed with them must carry the session token. Held in memory only,
 * so a restart invalidates them, together with the environments that held them. Thread-safe.
 */
public final class TemporaryCredentials {
    /** How often issuing also drops the expired ones, so that the map stays as small as the live environments. */
    private static final int SWEEP_EVERY = 256;

    /** One set of temporary credentials: a key pair with an {@code ASIA} id, its session token, and its end. */
    public record Issued(AccessKey key, String sessionToken, Instant expires) {
        /** Never prints the secret or the token. */
        @Override
        public String toString() {
            return "TemporaryCredentials[" + key.accessKeyId() + ", account " + key.accountId() + ", until "
                    + expires + "]";
        }
    }

    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Issued> byId = new ConcurrentHashMap<>();
    private final AtomicInteger issuedSinceSweep = new AtomicInteger();

    /** Credentials that last {@code lifetime} from issue, by {@code clock}. */
    public TemporaryCredentials(Clock clock, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** New credentials for {@code accountId}. */
    public Issued issue(String accountId) {
        if (issuedSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            issuedSinceSweep.set(0);
            Instant now = clock.instant();
            byId.values().removeIf(issued -> !now.isBefore(issued.expires()));
        }
        byte[] token = new byte[48];
        random.nextBytes(token);
        Issued issued = new Issued(AccessKey.generateTemporary(accountId, random),
                Base64.getEncoder().encodeToString(token), clock.instant().plus(lifetime));
        byId.put(issued.key().accessKeyId(), issued);
        return issued;
    }

    /** Ends the credentials with this access key id at once (their environment ended). */
    public void revoke(String accessKeyId) {
        byId.remove(accessKeyId);
    }

    /** The credentials with this access key id, expired or not, if they were issued here and not swept since. */
    public Optional<Issued> find(String accessKeyId) {
        return Optional.ofNullable(byId.get(accessKeyId));
    }

    /** How many are held (issued, not swept yet). */
    public int size() {
        return byId.size();
    }
}
