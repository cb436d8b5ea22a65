package dev.thunk.engine.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory that looks like a JDK to {@link JavaArchiveKey}: a {@code release} file, a module image, bin/java. */
record FakeJdk(Path home) {

    static FakeJdk create(Path dir, String version) {
        try {
            Path home = Files.createDirectories(dir.resolve("jdk-" + version));
            Files.createDirectories(home.resolve("bin"));
            Files.createDirectories(home.resolve("lib"));
            Files.writeString(home.resolve("bin/java"), "");
            Files.writeString(home.resolve("lib/modules"), "modules of " + version);
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
            return new FakeJdk(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path java() {
        return home.resolve("bin/java");
    }
}
