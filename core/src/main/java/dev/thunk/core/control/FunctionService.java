package dev.thunk.core.control;

import dev.thunk.core.Account;
import dev.thunk.core.CodeInfo;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionLayer;
import dev.thunk.core.FunctionRef;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.RuntimeAvailability;
import dev.thunk.core.Status;
import dev.thunk.core.ZipListing;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The control plane's operations on functions: create, read, list, update, delete. Validates every request
 * completely before it changes anything, so a refused request leaves the store as it was. Thread-safe: concurrent
 * updates of one function are serialised by the store and checked against {@code RevisionId} and the update in
 * progress, so none is lost.
 *
 * <p>A new or changed package is checked in the background ({@link #activate}), which moves the function from
 * {@code Pending} to {@code Active} or {@code Failed}, and its last update from {@code InProgress} on.
 */
public final class FunctionService {
    public static final long MAX_UNZIPPED_SIZE = 262_144_000L;

    private final Account account;
    private final FunctionStore store;
    private final StoredPackages packages;
    private final ConfigRules rules;
    private final Clock clock;
    private final Executor background;
    private final FunctionListener listener;
    /** Publishes versions for {@code Publish: true}; the same rules as PublishVersion. */
    private final VersionService versions;

    public FunctionService(Account account, FunctionStore store, StoredPackages packages, LayerService layers,
                           RuntimeAvailability runtimes, Clock clock, Executor background, FunctionListener listener) {
        this.account = account;
        this.store = store;
        this.packages = packages;
        this.rules = new ConfigRules(runtimes, layers::resolve);
        this.clock = clock;
        this.background = background;
        this.listener = listener;
        this.versions = new VersionService(account, store, clock);
    }

    public Account account() {
        return account;
    }

    public FunctionVersion create(CreateFunction request) {
        FunctionRef ref = FunctionRef.parseNew(request.functionName(), account);
        if (ref.qualifier().isPresent()) {
            throw LambdaException.invalidParameter("Unqualified function name expected: " + request.functionName());
        }
        if (request.packageType().isPresent() && !request.packageType().get().equals("Zip")) {
            new dev.thunk.core.Validation()
                    .oneOf("packageType", request.packageType().get(), List.of("Zip", "Image")).check();
            throw LambdaException.invalidParameter("Thunk runs Zip packages only; PackageType Image is not supported.");
        }
        // Layers are resolved and the function committed under one guard: a layer version deleted meanwhile
        // cannot take the packages this function keeps with it.
        Attempt attempt = packages.whileStoring(() -> {
            FunctionConfig config = rules.create(request.config(),
                    request.architectures().orElse(List.of("x86_64")));
            TagRules.check(request.tags());
            byte[] zip = zipOf(request.code(), "function");
            ZipListing listing = ZipListing.read(zip);
            PackageSafety.check(zip, listing, MAX_UNZIPPED_SIZE);
            checkTotalSize(listing.unzippedSize(), config.layers());
            CodeInfo stored = packages.put(zip, listing.unzippedSize());
            FunctionVersion made = new FunctionVersion(ref.name(), FunctionVersion.LATEST, config, stored,
                    Status.CREATING, newRevision(), clock.instant());
            return new Attempt(made, store.create(made, request.tags()));
        });
        FunctionVersion function = attempt.function();
        if (!attempt.created()) {
            packages.releaseIfUnused(function.code().blobId());
            throw LambdaException.conflict("Function already exist: " + ref.name());
        }
        return request.publish() ? publishNow(function) : scheduled(function);
    }

    private record Attempt(FunctionVersion function, boolean created) {
    }

    /** The function's {@code $LATEST}, or the published version the qualifier names (aliases are not found yet). */
    public FunctionVersion get(String functionName, Optional<String> qualifier) {
        FunctionRef ref = FunctionRef.parse(functionName, account);
        Optional<String> q = ref.qualifiedBy(qualifier);
        FunctionVersion latest = find(ref, q);
        if (q.isEmpty() || q.get().equals(FunctionVersion.LATEST)) {
            return latest;
        }
        // An alias reads as the version it points to.
        String version = versionNumber(q.get()).isPresent() ? q.get()
                : store.findAlias(ref.name(), q.get()).map(dev.thunk.core.Alias::functionVersion)
                        .orElseThrow(() -> LambdaException.functionNotFound(arn(ref.name(), q)));
        if (version.equals(FunctionVersion.LATEST)) {
            return latest;
        }
        return versionNumber(version).flatMap(n -> store.findVersion(ref.name(), n))
                .orElseThrow(() -> LambdaException.functionNotFound(arn(ref.name(), q)));
    }

    /** The number a qualifier names, if it is a version number. */
    public static Optional<Integer> versionNumber(String qualifier) {
        if (!qualifier.matches("[1-9]\\d{0,9}")) {
            return Optional.empty();
        }
        long n = Long.parseLong(qualifier);
        return n <= Integer.MAX_VALUE ? Optional.of((int) n) : Optional.empty();
    }

    public FunctionPage list(Optional<String> marker, Optional<Integer> maxItems) {
        new dev.thunk.core.Validation().range("maxItems", maxItems.orElse(null), 1, 10000).check();
        int limit = maxItems.orElse(50);
        Optional<String> after = marker.map(FunctionPage::decodeMarker);
        List<FunctionVersion> page = store.list(after, limit + 1);
        if (page.size() <= limit) {
            return new FunctionPage(page, Optional.empty());
        }
        List<FunctionVersion> shown = page.subList(0, limit);
        return new FunctionPage(shown, Optional.of(FunctionPage.encodeMarker(shown.get(limit - 1).name())));
    }

    public FunctionVersion updateCode(String functionName, UpdateFunctionCode request) {
        FunctionRef ref = unqualified(functionName);
        byte[] zip = zipOf(request.code(), "function");
        ZipListing listing = ZipListing.read(zip);
        PackageSafety.check(zip, listing, MAX_UNZIPPED_SIZE);
        if (request.dryRun()) {
            FunctionVersion current = get(functionName, Optional.empty());
            checkWritable(current, request.revisionId());
            return current;
        }
        CodeInfo[] stored = new CodeInfo[1];
        Optional<FunctionVersion> updated = Optional.empty();
        try {
            updated = packages.whileStoring(() -> {
                CodeInfo newCode = packages.put(zip, listing.unzippedSize());
                stored[0] = newCode;
                return store.update(ref.name(), current -> {
                    checkWritable(current, request.revisionId());
                    checkTotalSize(listing.unzippedSize(), current.config().layers());
                    FunctionConfig config = request.architectures().isPresent()
                            ? rules.withArchitectures(current.config(), request.architectures().get())
                            : current.config();
                    String revision = newRevision();
                    return current.withCode(newCode, revision, clock.instant())
                            .withConfig(config, revision, clock.instant())
                            .withStatus(Status.updating(current.status().state()), revision);
                });
            });
        } finally {
            if (updated.isEmpty() && stored[0] != null) {
                packages.releaseIfUnused(stored[0].blobId());
            }
        }
        FunctionVersion written = updated
                .orElseThrow(() -> LambdaException.functionNotFound(account.functionArn(ref.name())));
        return request.publish() ? publishNow(written) : scheduled(written);
    }

    public FunctionVersion updateConfiguration(String functionName, ConfigChange change, Optional<String> revisionId) {
        FunctionRef ref = unqualified(functionName);
        List<FunctionLayer> before = new java.util.ArrayList<>();
        FunctionVersion updated = packages.whileStoring(() -> store.update(ref.name(), current -> {
            checkWritable(current, revisionId);
            FunctionConfig config = rules.update(current.config(), change);
            checkTotalSize(current.code().unzippedSize(), config.layers());
            String revision = newRevision();
            before.addAll(current.config().layers());
            return current.withConfig(config, revision, clock.instant())
                    .withStatus(Status.updating(current.status().state()), revision);
        })).orElseThrow(() -> LambdaException.functionNotFound(account.functionArn(ref.name())));
        // Layers it no longer names may have been its last users' copies of deleted layer versions.
        before.forEach(layer -> packages.releaseIfUnused(layer.code().blobId()));
        scheduleActivation(updated);
        return updated;
    }

    public void delete(String functionName, Optional<String> qualifier) {
        FunctionRef ref = FunctionRef.parse(functionName, account);
        Optional<String> q = ref.qualifiedBy(qualifier);
        FunctionVersion function = find(ref, q);
        if (q.isPresent()) {
            if (q.get().equals(FunctionVersion.LATEST)) {
                throw LambdaException.invalidParameter("$LATEST version cannot be deleted without deleting the function.");
            }
            deleteVersion(ref, q);
            return;
        }
        List<FunctionVersion> versions = store.listVersions(ref.name(), 0, Integer.MAX_VALUE);
        if (!store.delete(ref.name())) {
            throw LambdaException.functionNotFound(account.functionArn(ref.name()));
        }
        releasePackages(function);
        versions.forEach(this::releasePackages);
        listener.deleted(ref.name());
    }

    private void deleteVersion(FunctionRef ref, Optional<String> q) {
        int number = versionNumber(q.get()).orElseThrow(() -> LambdaException.functionNotFound(arn(ref.name(), q)));
        FunctionVersion version = store.findVersion(ref.name(), number)
                .orElseThrow(() -> LambdaException.functionNotFound(arn(ref.name(), q)));
        List<String> users = store.listAliases(ref.name()).stream()
                .filter(a -> a.functionVersion().equals(q.get()) || a.additionalVersionWeights().containsKey(q.get()))
                .map(dev.thunk.core.Alias::name).toList();
        if (!users.isEmpty()) {
            throw LambdaException.conflict("Unable to delete version because the following aliases reference it: "
                    + users);
        }
        if (!store.deleteVersion(ref.name(), number)) {
            throw LambdaException.functionNotFound(arn(ref.name(), q));
        }
        releasePackages(version);
        listener.versionDeleted(ref.name(), Integer.toString(number));
    }

    public Map<String, String> tags(String resourceArn) {
        String name = taggable(resourceArn);
        if (store.find(name).isEmpty()) {
            throw LambdaException.functionNotFound(account.functionArn(name));
        }
        return store.tags(name);
    }

    public void tag(String resourceArn, Map<String, String> tags) {
        String name = taggable(resourceArn);
        TagRules.checkNotEmpty(tags);
        TagRules.check(tags);
        if (!store.updateTags(name, current -> TagRules.merge(current, tags))) {
            throw LambdaException.functionNotFound(account.functionArn(name));
        }
    }

    public void untag(String resourceArn, List<String> keys) {
        String name = taggable(resourceArn);
        if (keys.isEmpty()) {
            new dev.thunk.core.Validation().required("tagKeys", null).check();
        }
        TagRules.checkKeys(keys);
        if (!store.updateTags(name, current -> TagRules.remove(current, keys))) {
            throw LambdaException.functionNotFound(account.functionArn(name));
        }
    }

    public AccountUsage usage() {
        return new AccountUsage(store.count(), store.totalCodeSize());
    }

    /**
     * Reads back the stored package of the version that was just written, and its layers', and settles its status.
     * What the package holds is not judged here: as in AWS, a custom runtime without a usable {@code bootstrap}
     * is Active and its invocations fail with {@code Runtime.InvalidEntrypoint}. Skips silently if the function
     * has changed or gone since, because then a later check owns it.
     */
    void activate(FunctionVersion written) {
        Status settled;
        try {
            ZipListing.read(Files.readAllBytes(packages.zip(written.code().blobId())));
            for (FunctionLayer layer : written.config().layers()) {
                ZipListing.read(Files.readAllBytes(packages.zip(layer.code().blobId())));
            }
            settled = Status.ACTIVE;
        } catch (IOException e) {
            settled = Status.failed("InternalError", "The stored package could not be read: " + e.getMessage());
        } catch (LambdaException e) {
            settled = Status.failed("InvalidZipFileException", e.getMessage());
        }
        Status status = settled;
        store.update(written.name(), current -> current.revisionId().equals(written.revisionId())
                ? current.withStatus(status, newRevision())
                : current);
        listener.changed(written.name());
    }

    private void scheduleActivation(FunctionVersion written) {
        background.execute(() -> activate(written));
    }

    private FunctionVersion scheduled(FunctionVersion written) {
        scheduleActivation(written);
        return written;
    }

    /**
     * {@code Publish: true} on create or code update: the package is checked at once (instead of in the
     * background), then a version is published from the result, and the caller gets that version, as AWS answers.
     */
    private FunctionVersion publishNow(FunctionVersion written) {
        activate(written);
        return versions.publish(written.name(), Optional.of(written.code().sha256()), Optional.empty(),
                Optional.empty());
    }

    private FunctionRef unqualified(String functionName) {
        return FunctionRef.parseUnqualified(functionName, account, ref -> "Unsupported qualifier in function name: "
                + ref.qualifier().get() + ". Updates apply to the unqualified function ($LATEST).");
    }

    private void checkWritable(FunctionVersion current, Optional<String> revisionId) {
        if (revisionId.isPresent() && !revisionId.get().equals(current.revisionId())) {
            throw LambdaException.revisionMismatch();
        }
        if (current.status().updateInProgress()) {
            throw LambdaException.conflict("The operation cannot be performed at this time. "
                    + "An update is in progress for resource: " + account.functionArn(current.name()));
        }
    }

    /** AWS's limit on a package sent inline, decoded. */
    public static final int MAX_ZIPPED_SIZE = 52_428_800;

    /** The inline zip of a function's or layer's ({@code what}) code, within AWS's limits. */
    static byte[] zipOf(CodeSource source, String what) {
        if (source.image()) {
            throw LambdaException.invalidParameter("Thunk runs Zip packages only; container images are not supported.");
        }
        if (source.s3()) {
            throw LambdaException.invalidParameter(
                    "Thunk has no S3 to read code from; send the package inline as ZipFile.");
        }
        byte[] zip = source.zipFile()
                .orElseThrow(() -> LambdaException.invalidParameter("Please provide a source for " + what + " code."));
        if (zip.length > MAX_ZIPPED_SIZE) {
            throw new LambdaException(ErrorCode.RequestEntityTooLargeException,
                    "Zipped size must be smaller than " + MAX_ZIPPED_SIZE + " bytes");
        }
        if (zip.length == 0) {
            throw LambdaException.invalidParameter("Uploaded file must be a non-empty zip");
        }
        return zip;
    }

    /** Refuses, before anything is stored, a package that is unsafe or too large (see {@link PackageSafety}). */
    static void checkPackage(byte[] zip, ZipListing listing) {
        PackageSafety.check(zip, listing, MAX_UNZIPPED_SIZE);
    }

    /** AWS's limit holds for the function's code and its layers together, as they are unpacked side by side. */
    private static void checkTotalSize(long codeUnzipped, List<FunctionLayer> layers) {
        long total = codeUnzipped + layers.stream().mapToLong(layer -> layer.code().unzippedSize()).sum();
        if (!layers.isEmpty() && total >= MAX_UNZIPPED_SIZE) {
            throw LambdaException.invalidParameter("Function code combined with layers exceeds the maximum allowed "
                    + "size of " + MAX_UNZIPPED_SIZE + " bytes. The actual size is " + total + " bytes.");
        }
    }

    private static final java.util.regex.Pattern RESOURCE_ARN = java.util.regex.Pattern.compile(
            "arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:"
                    + "(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)"
                    + "|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}"
                    + "-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");

    private String taggable(String resourceArn) {
        if (resourceArn == null || !RESOURCE_ARN.matcher(resourceArn).matches()) {
            throw new LambdaException(ErrorCode.ValidationException, "1 validation error detected: Value '"
                    + resourceArn + "' at 'resource' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: " + RESOURCE_ARN.pattern());
        }
        FunctionRef ref = FunctionRef.parse(resourceArn, account);
        if (ref.qualifier().isPresent()) {
            throw LambdaException.invalidParameter(
                    "Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }
        return ref.name();
    }

    /** Releases the packages a deleted function or version held: its code and its copies of layers. */
    private void releasePackages(FunctionVersion gone) {
        packages.releaseIfUnused(gone.code().blobId());
        gone.config().layers().forEach(layer -> packages.releaseIfUnused(layer.code().blobId()));
    }

    /** The stored function a reference names, or AWS's not-found naming the reference as the caller qualified it. */
    private FunctionVersion find(FunctionRef ref, Optional<String> qualifier) {
        return store.find(ref.name()).orElseThrow(() -> LambdaException.functionNotFound(arn(ref.name(), qualifier)));
    }

    private String arn(String name, Optional<String> qualifier) {
        return qualifier.map(q -> account.functionArn(name, q)).orElse(account.functionArn(name));
    }

    private static String newRevision() {
        return UUID.randomUUID().toString();
    }
}
