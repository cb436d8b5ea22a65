package dev.thunk.core.access;

import java.util.List;

/** Where access keys are kept. Thread-safe. */
public interface AccessKeyStore {

    /** Every stored key, oldest first. */
    List<AccessKey> list();

    /** Stores a new key; its id must not be taken. */
    void add(AccessKey key);
}
