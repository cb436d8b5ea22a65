package dev.thunk.core.control;

import dev.thunk.core.Runtimes;
import dev.thunk.core.ZipListing;

import java.util.List;
import java.util.Optional;

/**
 * Decides whether a deployment package can run on its runtime, from its listing and its layers' alone. A custom
 * runtime needs an executable {@code bootstrap} at the package root or, failing that, at the root of a layer (AWS
 * runs {@code /opt/bootstrap} then); other runtimes find their handler at invoke time, where a missing one is an
 * invocation error, as in AWS.
 */
final class PackageCheck {
    static final String REASON_CODE = "InvalidZipFileException";

    private PackageCheck() {
    }

    /** Empty when the package is usable; otherwise the StateReason to show. */
    static Optional<String> problem(String runtime, ZipListing listing, List<ZipListing> layers) {
        if (Runtimes.family(runtime) != Runtimes.Family.PROVIDED) {
            return Optional.empty();
        }
        Optional<ZipListing.Entry> bootstrap = bootstrap(listing);
        String holder = "deployment package";
        // Layers are extracted in order into one /opt, so the last layer with a bootstrap provides it.
        for (ZipListing layer : layers.reversed()) {
            if (bootstrap.isPresent()) {
                break;
            }
            bootstrap = bootstrap(layer);
            holder = "layer";
        }
        if (bootstrap.isEmpty()) {
            return Optional.of("The deployment package of runtime " + runtime + " has no file named bootstrap at its "
                    + "root" + (layers.isEmpty() ? "" : ", and neither has any of its layers")
                    + "; a custom runtime starts by running it.");
        }
        if (!bootstrap.get().executable()) {
            return Optional.of("The bootstrap file of the " + holder + " is not executable "
                    + "(its mode is " + Integer.toOctalString(bootstrap.get().unixMode().orElse(0) & 07777)
                    + "); set its execute permission before zipping.");
        }
        return Optional.empty();
    }

    private static Optional<ZipListing.Entry> bootstrap(ZipListing listing) {
        return listing.entry("bootstrap").filter(entry -> !entry.directory());
    }
}
