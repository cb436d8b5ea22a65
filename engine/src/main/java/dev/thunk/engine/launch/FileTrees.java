package dev.thunk.engine.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of directory trees the engine made for itself (temporary builds, stem cells). */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Removes {@code root} and everything under it, as far as it can: what cannot be removed (or vanished meanwhile)
     * is left, for its owner's next start to clear.
     */
    public static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // left behind
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // left behind
        }
    }
}
