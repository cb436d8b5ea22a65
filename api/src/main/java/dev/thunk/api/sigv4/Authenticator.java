package dev.thunk.api.sigv4;

import dev.thunk.core.Account;
import dev.thunk.core.access.AccessKeys;
import dev.thunk.core.access.Caller;
import dev.thunk.core.access.TemporaryCredentials;

import java.time.Clock;

/**
 * Decides who sent a request. Never blocks (it runs on the event loop) and is thread-safe; throws
 * {@link dev.thunk.core.LambdaException} with AWS's error when the request does not prove a caller.
 */
public interface Authenticator {

    Caller authenticate(SignedRequest request);

    /** Whether requests are checked at all. */
    boolean enabled();

    /**
     * Checks AWS Signature Version 4 against {@code keys}, or against {@code temporary} for a request with a session
     * token, for the region of {@code account}, by {@code clock}.
     */
    static Authenticator sigV4(Account account, AccessKeys keys, TemporaryCredentials temporary, Clock clock) {
        return new SigV4Authenticator(account.region(), keys, temporary, clock);
    }

    /** Checks nothing: every request acts as the account that owns the functions ({@code --no-auth}). */
    static Authenticator disabled(Account account) {
        Caller owner = new Caller(account.accountId(), "");
        return new Authenticator() {
            @Override
            public Caller authenticate(SignedRequest request) {
                return owner;
            }

            @Override
            public boolean enabled() {
                return false;
            }
        };
    }
}
