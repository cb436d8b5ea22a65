package dev.thunk.engine.launch;

import dev.thunk.core.CodeInfo;
import dev.thunk.core.CodeStore;
import dev.thunk.core.FunctionLayer;
import dev.thunk.testkit.TestZip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerAssemblerTest {
    @TempDir
    Path dir;

    /** Keeps each test zip under the name the test gives it; the blob id doubles as its CodeSha256. */
    private final class NamedZips implements CodeStore {
        @Override
        public CodeInfo put(byte[] zip, long unzippedSize) {
            throw new UnsupportedOperationException("the assembler only reads");
        }

        @Override
        public Path zip(String blobId) {
            return dir.resolve("zips").resolve(blobId + ".zip");
        }

        @Override
        public void delete(String blobId) {
            throw new UnsupportedOperationException("the assembler only reads");
        }
    }

    private FunctionLayer layer(String name, TestZip zip) throws IOException {
        Files.createDirectories(dir.resolve("zips"));
        byte[] bytes = zip.bytes();
        Files.write(dir.resolve("zips").resolve(name + ".zip"), bytes);
        return new FunctionLayer("arn:aws:lambda:us-east-1:000000000000:layer:" + name + ":1",
                new CodeInfo(name, name, bytes.length, 0));
    }

    private LayerAssembler assembler(long limit) {
        return new LayerAssembler(new NamedZips(), dir.resolve("opt"), limit);
    }

    @Test
    void extractsLayersInOrderSoLaterOnesReplaceEarlierFiles() throws IOException {
        FunctionLayer a = layer("a", TestZip.create().file("python/word.py", "a").file("only-a.txt", "a"));
        FunctionLayer b = layer("b", TestZip.create().file("python/word.py", "b").executable("bin/tool", "#!/bin/sh"));
        LayerAssembler layers = assembler(1 << 20);

        Path ab = layers.assembled(List.of(a, b));
        assertEquals("b", Files.readString(ab.resolve("python/word.py")));
        assertEquals("a", Files.readString(ab.resolve("only-a.txt")));
        assertTrue(Files.isExecutable(ab.resolve("bin/tool")));
        Path ba = layers.assembled(List.of(b, a));
        assertEquals("a", Files.readString(ba.resolve("python/word.py")));
        assertNotEquals(ab, ba, "the order is part of what is assembled");
        assertEquals(ab, layers.assembled(List.of(a, b)), "a list assembled once is reused");
    }

    @Test
    void functionsWithoutLayersShareAnEmptyDirectory() throws IOException {
        Path empty = assembler(1 << 20).assembled(List.of());
        assertTrue(Files.isDirectory(empty));
        try (Stream<Path> files = Files.list(empty)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void entriesLeavingTheDirectoryAreRefusedAndLeaveNothingBehind() throws IOException {
        FunctionLayer fine = layer("fine", TestZip.create().file("ok.txt", "ok"));
        FunctionLayer climbing = layer("climbing", TestZip.create().file("../../escaped.txt", "x"));
        FunctionLayer linking = layer("linking",
                TestZip.create().file("etc", "/etc".getBytes(StandardCharsets.UTF_8), 0120777));
        LayerAssembler layers = assembler(1 << 20);

        assertThrows(UncheckedIOException.class, () -> layers.assembled(List.of(fine, climbing)));
        assertThrows(UncheckedIOException.class, () -> layers.assembled(List.of(fine, linking)));
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
        assertFalse(Files.exists(dir.resolve("opt").resolve(LayerAssembler.key(List.of(fine, climbing)))));
        try (Stream<Path> files = Files.list(dir.resolve("opt"))) {
            assertEquals(List.of("empty"), files.map(p -> p.getFileName().toString()).toList(),
                    "no half-assembled directory is left");
        }
    }

    @Test
    void aLaterFileReplacesAnEarlierSymlinkInsteadOfWritingThroughIt() throws IOException {
        FunctionLayer linked = layer("linked", TestZip.create().file("sub/keep.txt", "kept")
                .file("shortcut", "sub/keep.txt".getBytes(StandardCharsets.UTF_8), 0120777));
        FunctionLayer replacing = layer("replacing", TestZip.create().file("shortcut", "new"));

        Path opt = assembler(1 << 20).assembled(List.of(linked, replacing));
        assertFalse(Files.isSymbolicLink(opt.resolve("shortcut")));
        assertEquals("new", Files.readString(opt.resolve("shortcut")));
        assertEquals("kept", Files.readString(opt.resolve("sub/keep.txt")));
    }

    @Test
    void theLayersTogetherMayNotUnpackPastTheLimit() throws IOException {
        FunctionLayer one = layer("one", TestZip.create().file("one.bin", "x".repeat(600)));
        FunctionLayer two = layer("two", TestZip.create().file("two.bin", "y".repeat(600)));
        LayerAssembler layers = assembler(1000);
        layers.assembled(List.of(one));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> layers.assembled(List.of(one, two)));
        assertTrue(e.getMessage().contains("more than 1000 bytes"), e.getMessage());
    }
}
