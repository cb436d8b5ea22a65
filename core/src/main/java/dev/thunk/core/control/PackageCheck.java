package dev.thunk.core.control;

import dev.thunk.core.Runtimes;
import dev.thunk.core.ZipListing;

import java.util.Optional;

/**
 * Decides whether a deployment package can run on its runtime, from its listing alone. A custom runtime needs an
 * executable {@code bootstrap} at the package root; other runtimes find their handler at invoke time, where a
 * missing one is an invocation error, as in AWS.
 */
final class PackageCheck {
    static final String REASON_CODE = "InvalidZipFileException";

    private PackageCheck() {
    }

    /** Empty when the package is usable; otherwise the StateReason to show. */
    static Optional<String> problem(String runtime, ZipListing listing) {
        if (Runtimes.family(runtime) != Runtimes.Family.PROVIDED) {
            return Optional.empty();
        }
        Optional<ZipListing.Entry> bootstrap = listing.entry("bootstrap");
        if (bootstrap.isEmpty() || bootstrap.get().directory()) {
            return Optional.of("The deployment package of runtime " + runtime
                    + " has no file named bootstrap at its root; a custom runtime starts by running it.");
        }
        if (!bootstrap.get().executable()) {
            return Optional.of("The bootstrap file of the deployment package is not executable "
                    + "(its mode is " + Integer.toOctalString(bootstrap.get().unixMode().orElse(0) & 07777)
                    + "); set its execute permission before zipping.");
        }
        return Optional.empty();
    }
}
