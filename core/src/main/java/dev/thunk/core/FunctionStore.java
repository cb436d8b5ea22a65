package dev.thunk.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Durable home of functions and their tags. Implementations are thread-safe, and each method is atomic: a change
 * function passed to {@link #update} sees the latest committed value and its result is committed as a whole, or,
 * if it throws, nothing is.
 */
public interface FunctionStore extends AutoCloseable {

    /** Stores a new function with its tags; false, and nothing changed, if the name is taken. */
    boolean create(FunctionVersion function, Map<String, String> tags);

    Optional<FunctionVersion> find(String name);

    /** Functions in name order, starting after {@code afterName} when given. */
    List<FunctionVersion> list(Optional<String> afterName, int limit);

    /**
     * Applies {@code change} to the stored function under the store's write lock and commits its result.
     * Empty if there is no such function. Exceptions thrown by {@code change} propagate and change nothing.
     */
    Optional<FunctionVersion> update(String name, UnaryOperator<FunctionVersion> change);

    /** Deletes the function and its tags; false if there was none. */
    boolean delete(String name);

    /** The function's tags in key order; empty if it has none or does not exist. */
    Map<String, String> tags(String name);

    /** Replaces the tags of an existing function by {@code change}'s result; false if there is no function. */
    boolean updateTags(String name, UnaryOperator<Map<String, String>> change);

    /**
     * Publishes a version of the function atomically: {@code make} sees {@code $LATEST} and the highest published
     * version (if any) and returns either that version (nothing changed since) or a new one numbered one higher,
     * which is stored. Empty if there is no such function; exceptions from {@code make} change nothing.
     */
    Optional<FunctionVersion> publishVersion(String name,
                                             java.util.function.BiFunction<FunctionVersion, Optional<FunctionVersion>,
                                                     FunctionVersion> make);

    Optional<FunctionVersion> findVersion(String name, int version);

    /** Published versions in number order, after {@code afterVersion}. */
    List<FunctionVersion> listVersions(String name, int afterVersion, int limit);

    /** Deletes a published version; false if there was none. */
    boolean deleteVersion(String name, int version);

    /** Stores a new alias; false if the function already has one of that name. */
    boolean createAlias(Alias alias);

    Optional<Alias> findAlias(String functionName, String alias);

    List<Alias> listAliases(String functionName);

    /** Applies {@code change} to the stored alias atomically; empty if there is none. */
    Optional<Alias> updateAlias(String functionName, String alias, UnaryOperator<Alias> change);

    boolean deleteAlias(String functionName, String alias);

    /** The function's reserved concurrency, if one is set. */
    java.util.OptionalInt reservedConcurrency(String name);

    /**
     * Sets the function's reserved concurrency, or removes it when {@code reserved} is empty, atomically with
     * {@code checkTotal}, which sees the account's total reservation after the change and throws to refuse it.
     * False, and nothing changed, if there is no such function.
     */
    boolean setReservedConcurrency(String name, java.util.OptionalInt reserved,
                                   java.util.function.IntConsumer checkTotal);

    /** Every function's reserved concurrency. */
    Map<String, Integer> reservedConcurrencies();

    /** How many functions and versions use the code blob (to know when it can be deleted). */
    int codeReferences(String blobId);

    int count();

    long totalCodeSize();

    @Override
    void close();
}
