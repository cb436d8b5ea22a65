package dev.thunk.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns what {@code thunk deploy} was given into a deployment package. A directory is zipped with its files in
 * name order (symbolic links followed), each file's mode normalised the way Lambda wants it: 0755 when the owner
 * may execute it, 0644 otherwise. A {@code .zip} or {@code .jar} (or any file that is a zip) is taken as is;
 * any other single file is zipped alone under its own name.
 */
final class CodePackage {
    private CodePackage() {
    }

    static byte[] read(Path path) {
        if (Files.isDirectory(path)) {
            return zipDirectory(path);
        }
        if (!Files.isRegularFile(path)) {
            throw CliException.usage("nothing to deploy at " + path + ": no such file or directory");
        }
        byte[] bytes = readBytes(path);
        if (isZip(bytes)) {
            return bytes;
        }
        String name = path.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip") || lower.endsWith(".jar")) {
            throw CliException.failed(path + " is not a zip archive");
        }
        return new ZipWriter().add(name, bytes, mode(path, name), modified(path)).toByteArray();
    }

    static byte[] zipDirectory(Path dir) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            files = walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new CliException("cannot read " + dir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
                throw CliException.failed("cannot zip " + dir + ": symbolic link loop at " + loop.getFile());
            }
            throw new CliException("cannot read " + dir + ": " + e.getCause().getMessage(), e);
        }
        if (files.isEmpty()) {
            throw CliException.failed("nothing to deploy: " + dir + " has no files");
        }
        String[] names = files.stream().map(f -> entryName(dir.relativize(f))).toArray(String[]::new);
        Integer[] order = new Integer[names.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
        ZipWriter zip = new ZipWriter();
        for (int i : order) {
            Path file = files.get(i);
            zip.add(names[i], readBytes(file), mode(file, names[i]), modified(file));
        }
        return zip.toByteArray();
    }

    /**
     * What keeps a directory from being a custom runtime's package: no {@code bootstrap} file at its root, or one
     * its owner cannot execute (it is zipped 0644 then). Zips and single files are deployed as they are, unchecked.
     */
    static Optional<String> bootstrapProblem(Path source) {
        if (!Files.isDirectory(source)) {
            return Optional.empty();
        }
        Path bootstrap = source.resolve("bootstrap");
        if (!Files.isRegularFile(bootstrap)) {
            return Optional.of(source + " has no bootstrap file at its root");
        }
        if (mode(bootstrap, "bootstrap") != ZipWriter.EXECUTABLE) {
            return Optional.of(bootstrap + " is not executable (chmod +x it)");
        }
        return Optional.empty();
    }

    static boolean isZip(byte[] bytes) {
        // A local file header, or the end record alone of an empty archive.
        return bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K'
                && ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6));
    }

    private static String entryName(Path relative) {
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    private static int mode(Path file, String entryName) {
        boolean executable;
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            try {
                executable = posix.readAttributes().permissions().contains(PosixFilePermission.OWNER_EXECUTE);
            } catch (IOException e) {
                throw new CliException("cannot read the permissions of " + file + ": " + e.getMessage(), e);
            }
        } else {
            // No Unix modes to read (Windows): a custom runtime's entry point still has to be executable.
            executable = entryName.equals("bootstrap") || entryName.endsWith(".sh");
        }
        return executable ? ZipWriter.EXECUTABLE : ZipWriter.REGULAR;
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
