package dev.thunk.core.control;

import dev.thunk.core.Account;
import dev.thunk.core.CodeInfo;
import dev.thunk.core.FunctionLayer;
import dev.thunk.core.LambdaException;
import dev.thunk.core.LayerRef;
import dev.thunk.core.LayerStore;
import dev.thunk.core.LayerVersion;
import dev.thunk.core.Runtimes;
import dev.thunk.core.Validation;
import dev.thunk.core.ZipListing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Layers: publishing immutable, numbered versions of a package, reading, listing and deleting them, and resolving
 * the layer version ARNs a function names into the copies it keeps. A deleted layer version's package stays stored
 * while any function or version still uses it, as in AWS. Thread-safe.
 */
public final class LayerService {
    static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");
    static final int MAX_COMPATIBLE_RUNTIMES = 15;
    private static final int MAX_ITEMS = 50;
    private static final String NOT_FOUND = "The resource you requested does not exist.";

    private final Account account;
    private final LayerStore store;
    private final StoredPackages packages;
    private final Clock clock;

    public LayerService(Account account, LayerStore store, StoredPackages packages, Clock clock) {
        this.account = account;
        this.store = store;
        this.packages = packages;
        this.clock = clock;
    }

    public Account account() {
        return account;
    }

    public LayerVersion publish(String layerName, PublishLayerVersion request) {
        LayerRef ref = LayerRef.parseName(layerName, account);
        Validation v = new Validation().required("content", request.content().orElse(null));
        request.description().ifPresent(d -> v.length("description", d, 0, 256));
        request.licenseInfo().ifPresent(l -> v.length("licenseInfo", l, 0, 512));
        checkList(v, "compatibleRuntimes", request.compatibleRuntimes(), MAX_COMPATIBLE_RUNTIMES, Runtimes.MODEL_ENUM);
        checkList(v, "compatibleArchitectures", request.compatibleArchitectures(), 2, ARCHITECTURES);
        v.check();
        if (!ref.ours(account)) {
            throw LambdaException.invalidParameter("Layers are published in this server's own account and region: "
                    + account.layerArn(ref.name()) + " cannot be " + ref.arn());
        }
        byte[] zip = FunctionService.zipOf(request.content().get(), "layer");
        ZipListing listing = ZipListing.read(zip);
        FunctionService.checkPackage(zip, listing);
        return packages.whileStoring(() -> {
            CodeInfo code = packages.put(zip, listing.unzippedSize());
            return store.publish(ref.name(), number -> new LayerVersion(ref.name(), number,
                    request.description().orElse(""), request.compatibleRuntimes(),
                    request.compatibleArchitectures(), request.licenseInfo().orElse(""), code, clock.instant()));
        });
    }

    public LayerVersion get(String layerName, long version) {
        return find(LayerRef.parseName(layerName, account), version)
                .orElseThrow(() -> LambdaException.notFound(NOT_FOUND));
    }

    public LayerVersion getByArn(String arn) {
        LayerRef.Version ref = LayerRef.parseVersionArn(arn, "arn");
        return find(ref.layer(), ref.number()).orElseThrow(() -> LambdaException.notFound(NOT_FOUND));
    }

    /** Each layer with its newest version that matches the filters; layers with none are left out. */
    public LayerPage list(Optional<String> runtime, Optional<String> architecture, Optional<String> marker,
                          Optional<Integer> maxItems) {
        checkFilters(runtime, architecture, maxItems);
        Optional<String> after = marker.map(FunctionPage::decodeMarker);
        Map<String, LayerVersion> latest = new LinkedHashMap<>();
        store.all().stream()
                .filter(matching(runtime, architecture))
                .filter(layer -> after.isEmpty() || layer.layerName().compareTo(after.get()) > 0)
                .forEach(layer -> latest.putIfAbsent(layer.layerName(), layer));
        return page(new ArrayList<>(latest.values()), maxItems,
                last -> FunctionPage.encodeMarker(last.layerName()));
    }

    /** The layer's versions that match the filters, newest first; none if there is no such layer. */
    public LayerPage listVersions(String layerName, Optional<String> runtime, Optional<String> architecture,
                                  Optional<String> marker, Optional<Integer> maxItems) {
        LayerRef ref = LayerRef.parseName(layerName, account);
        checkFilters(runtime, architecture, maxItems);
        long before = marker.map(LayerService::parseVersionMarker).orElse(Long.MAX_VALUE);
        if (!ref.ours(account)) {
            return new LayerPage(List.of(), Optional.empty());
        }
        List<LayerVersion> versions = store.versions(ref.name()).stream()
                .filter(matching(runtime, architecture))
                .filter(layer -> layer.version() < before)
                .toList();
        return page(versions, maxItems, last -> Integer.toString(last.version()));
    }

    /** Deletes one layer version; a version that does not exist is already deleted, as AWS answers. */
    public void delete(String layerName, long version) {
        LayerRef ref = LayerRef.parseName(layerName, account);
        Optional<LayerVersion> found = find(ref, version);
        if (found.isPresent() && store.delete(ref.name(), found.get().version())) {
            packages.releaseIfUnused(found.get().code().blobId());
        }
    }

    /**
     * The layers a function's {@code Layers} name, in order, as the copies the function keeps. The ARNs have
     * passed the modelled checks ({@link ConfigRules}); this checks what only the store can tell.
     */
    List<FunctionLayer> resolve(List<String> arns) {
        List<LayerRef.Version> refs = arns.stream().map(arn -> LayerRef.versionArn(arn).orElseThrow()).toList();
        for (LayerRef.Version ref : refs) {
            if (!ref.layer().region().equals(account.region())) {
                throw LambdaException.invalidParameter("Layers are not in the same region as the function. "
                        + "Layers are expected to be in region " + account.region() + ".");
            }
        }
        for (int i = 0; i < refs.size(); i++) {
            for (int j = i + 1; j < refs.size(); j++) {
                if (refs.get(i).sameLayer(refs.get(j))) {
                    throw LambdaException.invalidParameter("Two different versions of the same layer are not "
                            + "allowed to be referenced in the same function. " + arns.get(i) + " and "
                            + arns.get(j) + " are versions of the same layer.");
                }
            }
        }
        List<FunctionLayer> resolved = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            String arn = arns.get(i);
            LayerVersion layer = find(refs.get(i).layer(), refs.get(i).number())
                    .orElseThrow(() -> LambdaException.invalidParameter("Layer version " + arn + " does not exist."));
            resolved.add(new FunctionLayer(account.layerVersionArn(layer.layerName(), layer.version()), layer.code()));
        }
        return resolved;
    }

    private Optional<LayerVersion> find(LayerRef ref, long version) {
        if (!ref.ours(account) || version < 1 || version > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return store.find(ref.name(), (int) version);
    }

    private static void checkFilters(Optional<String> runtime, Optional<String> architecture,
                                     Optional<Integer> maxItems) {
        new Validation()
                .oneOf("compatibleRuntime", runtime.orElse(null), Runtimes.MODEL_ENUM)
                .oneOf("compatibleArchitecture", architecture.orElse(null), ARCHITECTURES)
                .range("maxItems", maxItems.orElse(null), 1, MAX_ITEMS)
                .check();
    }

    private static Predicate<LayerVersion> matching(Optional<String> runtime, Optional<String> architecture) {
        return layer -> runtime.map(layer.compatibleRuntimes()::contains).orElse(true)
                && architecture.map(layer.compatibleArchitectures()::contains).orElse(true);
    }

    private static LayerPage page(List<LayerVersion> all, Optional<Integer> maxItems,
                                  java.util.function.Function<LayerVersion, String> markerOf) {
        int limit = maxItems.orElse(MAX_ITEMS);
        if (all.size() <= limit) {
            return new LayerPage(all, Optional.empty());
        }
        List<LayerVersion> shown = all.subList(0, limit);
        return new LayerPage(shown, Optional.of(markerOf.apply(shown.get(limit - 1))));
    }

    /** AWS reports a list member outside its enum, or a list too long, against the whole list. */
    private static void checkList(Validation v, String field, List<String> values, int max, List<String> allowed) {
        if (values.size() > max) {
            v.fail(values, field, "Member must have length less than or equal to " + max);
        }
        if (!allowed.containsAll(values)) {
            v.fail(values, field, "Member must satisfy constraint: [Member must satisfy enum value set: "
                    + allowed + "]");
        }
    }

    private static long parseVersionMarker(String marker) {
        try {
            return Long.parseLong(marker);
        } catch (NumberFormatException e) {
            throw LambdaException.invalidParameter("Invalid marker: " + marker);
        }
    }
}
