package dev.thunk.engine.launch;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaArchiveKeyTest {
    private static final List<String> FLAGS = RuntimeCommand.JVM_FLAGS;

    @TempDir
    Path dir;
    private Path jarA;
    private Path jarB;
    private String classPath;

    @BeforeEach
    void jars() throws IOException {
        jarA = Files.writeString(dir.resolve("a.jar"), "a");
        jarB = Files.writeString(dir.resolve("b.jar"), "bb");
        classPath = jarA + File.pathSeparator + jarB;
    }

    private JavaArchiveKey key(FakeJdk jdk) {
        return JavaArchiveKey.of(jdk.java(), classPath, FLAGS).orElseThrow();
    }

    @Test
    void theKindFollowsTheJdkVersion() {
        assertEquals(JavaArchiveKey.Kind.AOT_CACHE, key(FakeJdk.create(dir, "25.0.3")).kind());
        assertEquals(JavaArchiveKey.Kind.AOT_CACHE, key(FakeJdk.create(dir, "26")).kind());
        assertEquals(JavaArchiveKey.Kind.APP_CDS, key(FakeJdk.create(dir, "24.0.1")).kind());
        assertEquals(JavaArchiveKey.Kind.APP_CDS, key(FakeJdk.create(dir, "17.0.15")).kind());
        assertEquals(Optional.empty(), JavaArchiveKey.of(FakeJdk.create(dir, "11.0.2").java(), classPath, FLAGS));
    }

    @Test
    void sameInputsGiveTheSameShortName() {
        FakeJdk jdk = FakeJdk.create(dir, "25.0.3");
        JavaArchiveKey key = key(jdk);
        assertEquals(key, key(jdk));
        assertTrue(key.fileName().matches("[0-9a-f]{16}\\.aot"), key.fileName());
        assertTrue(key(FakeJdk.create(dir, "17.0.15")).fileName().endsWith(".jsa"));
    }

    @Test
    void aRebuiltJarChangesTheKey() throws IOException {
        FakeJdk jdk = FakeJdk.create(dir, "25.0.3");
        JavaArchiveKey before = key(jdk);
        Files.setLastModifiedTime(jarB, FileTime.fromMillis(Files.getLastModifiedTime(jarB).toMillis() - 60_000));
        JavaArchiveKey touched = key(jdk);
        assertNotEquals(before, touched);
        FileTime time = Files.getLastModifiedTime(jarA);
        Files.writeString(jarA, "longer");
        Files.setLastModifiedTime(jarA, time);
        assertNotEquals(touched, key(jdk), "same time, other size");
    }

    @Test
    void theClassPathOrderAndFlagsAreInTheKey() {
        FakeJdk jdk = FakeJdk.create(dir, "25.0.3");
        JavaArchiveKey key = key(jdk);
        assertNotEquals(key, JavaArchiveKey.of(jdk.java(), jarB + File.pathSeparator + jarA, FLAGS).orElseThrow());
        assertNotEquals(key, JavaArchiveKey.of(jdk.java(), classPath,
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC")).orElseThrow());
    }

    @Test
    void anUpgradedJdkChangesTheKey() throws IOException {
        FakeJdk jdk = FakeJdk.create(dir, "25.0.3");
        JavaArchiveKey before = key(jdk);
        Files.writeString(jdk.home().resolve("release"), "JAVA_VERSION=\"25.0.4\"\n");
        JavaArchiveKey newVersion = key(jdk);
        assertNotEquals(before, newVersion);
        Files.writeString(jdk.home().resolve("lib/modules"), "patched in place, same release file");
        assertNotEquals(newVersion, key(jdk));
    }

    @Test
    void aLinkToTheJdkGivesTheKeyOfItsRealPath() throws IOException {
        FakeJdk jdk = FakeJdk.create(dir, "25.0.3");
        Path link = Files.createSymbolicLink(dir.resolve("current-jdk"), jdk.home());
        assertEquals(key(jdk), JavaArchiveKey.of(link.resolve("bin/java"), classPath, FLAGS).orElseThrow());
    }

    @Test
    void noKeyWithoutJarsOnlyOrWithoutAReadableJdk() throws IOException {
        FakeJdk jdk = FakeJdk.create(dir, "25.0.3");
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        assertEquals(Optional.empty(), JavaArchiveKey.of(jdk.java(), classes + File.pathSeparator + jarA, FLAGS));
        assertEquals(Optional.empty(), JavaArchiveKey.of(jdk.java(), jarA + File.pathSeparator
                + dir.resolve("missing.jar"), FLAGS));
        assertEquals(Optional.empty(), JavaArchiveKey.of(dir.resolve("no-jdk/bin/java"), classPath, FLAGS));
        Files.delete(jdk.home().resolve("release"));
        assertEquals(Optional.empty(), JavaArchiveKey.of(jdk.java(), classPath, FLAGS));
    }

    @Test
    void flagsPerKind() {
        Path file = dir.resolve("x");
        JavaArchiveKey aot = key(FakeJdk.create(dir, "25.0.3"));
        assertEquals(List.of("-XX:AOTCacheOutput=" + file), aot.trainFlags(file));
        assertEquals(List.of("-XX:AOTCache=" + file), aot.useFlags(file));
        JavaArchiveKey cds = key(FakeJdk.create(dir, "17.0.15"));
        assertEquals(List.of("-Xshare:auto", "-XX:ArchiveClassesAtExit=" + file), cds.trainFlags(file));
        assertEquals(List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + file), cds.useFlags(file));
    }
}
