package dev.thunk.core.access;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemporaryCredentialsTest {
    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void credentialsHaveAwsShapesAndAreFoundByTheirId() {
        MovingClock clock = new MovingClock();
        TemporaryCredentials temporary = new TemporaryCredentials(clock, Duration.ofHours(2));
        TemporaryCredentials.Issued issued = temporary.issue("000000000000");
        assertTrue(issued.key().accessKeyId().matches("ASIA[A-Z2-7]{16}"), issued.key().accessKeyId());
        assertEquals(40, issued.key().secretAccessKey().length());
        assertEquals("000000000000", issued.key().accountId());
        assertEquals(64, issued.sessionToken().length(), "48 random bytes, base64");
        assertEquals(clock.instant().plus(Duration.ofHours(2)), issued.expires());
        assertEquals(issued, temporary.find(issued.key().accessKeyId()).orElseThrow());
        assertNotEquals(issued.key().accessKeyId(), temporary.issue("000000000000").key().accessKeyId());
        assertFalse(issued.toString().contains(issued.sessionToken()), "never printed");
        assertFalse(issued.toString().contains(issued.key().secretAccessKey()), "never printed");
    }

    /** Issuing drops the expired ones now and then, so that only live environments' credentials are held. */
    @Test
    void expiredCredentialsAreDroppedAsNewOnesAreIssued() {
        MovingClock clock = new MovingClock();
        TemporaryCredentials temporary = new TemporaryCredentials(clock, Duration.ofHours(1));
        TemporaryCredentials.Issued old = temporary.issue("000000000000");
        clock.now.set(clock.instant().plus(Duration.ofHours(2)));
        for (int i = 0; i < 300; i++) {
            temporary.issue("000000000000");
        }
        assertTrue(temporary.find(old.key().accessKeyId()).isEmpty(), "the expired credentials are gone");
        assertEquals(300, temporary.size(), "the unexpired ones are all kept");
    }

    @Test
    void revokedCredentialsAreGone() {
        TemporaryCredentials temporary = new TemporaryCredentials(new MovingClock(), Duration.ofHours(1));
        TemporaryCredentials.Issued issued = temporary.issue("000000000000");
        temporary.revoke(issued.key().accessKeyId());
        assertTrue(temporary.find(issued.key().accessKeyId()).isEmpty());
    }
}
