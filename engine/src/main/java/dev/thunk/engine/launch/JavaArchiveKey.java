package dev.thunk.engine.launch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a class-data archive of the Java runtime client depends on, reduced to a short hash that names its
 * file: the JDK (real path, full version, size and time of its module image), the JVM flags that must match between
 * training and use, and each class path jar's path, size and time. Any change gives another name, so an archive
 * whose file exists is current; a stale or mismatched one, which the JVM would warn about on the function's
 * standard output (its log), is never used.
 */
record JavaArchiveKey(Kind kind, String hash) {
    /** Bump when the way archives are built changes, so archives of an older Thunk are not used. */
    private static final String FORMAT = "thunk-java-archive-1";
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)[^\"]*\"");

    enum Kind {
        /** JDK 25 and later: an AOT cache. The JVM refuses {@code -Xshare} beside the AOT flags. */
        AOT_CACHE(".aot"),
        /** JDK 17 to 24: a dynamic AppCDS archive on top of the JDK's default CDS archive. */
        APP_CDS(".jsa");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    String fileName() {
        return hash + kind.suffix;
    }

    /** The flags that make a training run write the archive to {@code output}. */
    List<String> trainFlags(Path output) {
        return switch (kind) {
            case AOT_CACHE -> List.of("-XX:AOTCacheOutput=" + output);
            case APP_CDS -> List.of("-Xshare:auto", "-XX:ArchiveClassesAtExit=" + output);
        };
    }

    /** The flags that make a JVM start from {@code archive}, in place of {@code -Xshare:auto}. */
    List<String> useFlags(Path archive) {
        return switch (kind) {
            case AOT_CACHE -> List.of("-XX:AOTCache=" + archive);
            case APP_CDS -> List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive);
        };
    }

    /**
     * The key for running {@code classPath} on {@code java} with {@code jvmFlags}; empty when no archive can serve
     * it: a JDK older than 17 or without a {@code release} file, or a class path entry that is not a jar (archives
     * need jars, identical when built and used), or anything unreadable.
     */
    static Optional<JavaArchiveKey> of(Path java, String classPath, List<String> jvmFlags) {
        try {
            Path home = java.toRealPath().getParent().getParent();
            String release = Files.readString(home.resolve("release"), StandardCharsets.UTF_8);
            Optional<Kind> kind = kindFor(release);
            if (kind.isEmpty()) {
                return Optional.empty();
            }
            StringBuilder key = new StringBuilder(FORMAT).append('\n').append(kind.get()).append('\n');
            jvmFlags.forEach(flag -> key.append(flag).append('\n'));
            key.append(home).append('\n').append(release).append('\n');
            appendFile(key, home.resolve("lib/modules"));
            for (String entry : classPath.split(File.pathSeparator)) {
                Path jar = Path.of(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                    return Optional.empty();
                }
                appendFile(key, jar);
            }
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return Optional.of(new JavaArchiveKey(kind.get(), HexFormat.of().formatHex(digest, 0, 8)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Optional<Kind> kindFor(String release) {
        for (String line : release.split("\n")) {
            Matcher m = VERSION.matcher(line.strip());
            if (m.find()) {
                int major = Integer.parseInt(m.group(1));
                return major >= 25 ? Optional.of(Kind.AOT_CACHE)
                        : major >= 17 ? Optional.of(Kind.APP_CDS) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static void appendFile(StringBuilder key, Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        key.append(file).append(' ').append(attributes.size()).append(' ').append(attributes.lastModifiedTime())
                .append('\n');
    }
}
