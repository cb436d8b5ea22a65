package dev.thunk.engine.launch;

import dev.thunk.core.FunctionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which bootstrap a custom runtime runs, and AWS's words when there is none it can run. */
class RuntimeCommandTest {
    @TempDir
    Path dir;

    private final RuntimeCommand commands = new RuntimeCommand(
            new RuntimeCatalog(List.of(), Optional.empty(), Optional.empty()), new RuntimeClients(null, null, ""));
    private final FunctionConfig provided = new FunctionConfig("provided.al2023", "bootstrap",
            "arn:aws:iam::123456789012:role/r", "", 128, 3, 512, Map.of(), List.of("x86_64"), List.of(),
            Optional.empty(), "PassThrough");

    @Test
    void thePackagesOwnBootstrapComesBeforeALayers() throws IOException {
        Path task = Files.createDirectories(dir.resolve("task"));
        Path opt = Files.createDirectories(dir.resolve("opt"));
        executable(opt.resolve("bootstrap"));
        assertEquals(List.of(opt.resolve("bootstrap").toString()), commands.command(provided, task, opt));

        executable(task.resolve("bootstrap"));
        assertEquals(List.of(task.resolve("bootstrap").toString()), commands.command(provided, task, opt));
    }

    @Test
    void noBootstrapAnywhereIsAnInvalidEntrypoint() throws IOException {
        Path task = Files.createDirectories(dir.resolve("task"));
        Path opt = Files.createDirectories(dir.resolve("opt"));
        Files.createDirectory(task.resolve("bootstrap")); // a directory is not a bootstrap
        var e = assertThrows(InvalidEntrypointException.class, () -> commands.command(provided, task, opt));
        assertEquals("Couldn't find valid bootstrap(s): [" + task.resolve("bootstrap") + " "
                + opt.resolve("bootstrap") + "]", e.getMessage());
    }

    @Test
    void aBootstrapThatCannotBeExecutedIsRefusedAsExecWouldRefuseIt() throws IOException {
        Path task = Files.createDirectories(dir.resolve("task"));
        Path opt = Files.createDirectories(dir.resolve("opt"));
        Files.writeString(task.resolve("bootstrap"), "#!/bin/sh\n");
        executable(opt.resolve("bootstrap"));
        var e = assertThrows(InvalidEntrypointException.class, () -> commands.command(provided, task, opt));
        assertEquals("fork/exec " + task.resolve("bootstrap") + ": permission denied", e.getMessage(),
                "the package's own bootstrap is chosen because it exists, runnable or not, before a layer's");
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
