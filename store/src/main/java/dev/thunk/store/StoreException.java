package dev.thunk.store;

/** The store failed for a reason that is not the caller's: the disk, the database file, a corrupt record. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
