package dev.thunk.engine.launch;

import dev.thunk.core.RuntimeAvailability;
import dev.thunk.core.Runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What this machine can run, found once at start: the JDKs (one per Java runtime, the lowest installed version
 * that is at least the runtime's), the fastest Python 3.9+ and Node.js 18+. Immutable after {@link #detect}.
 */
public final class RuntimeCatalog implements RuntimeAvailability {
    /** An installed interpreter or JDK. */
    public record Installed(Path executable, String version) {
    }

    private static final List<String> JAVA_RUNTIMES = List.of("java17", "java21", "java25");

    private final List<Jdk> jdks;
    private final Optional<Installed> python;
    private final Optional<Installed> node;

    record Jdk(Path home, int major) {
        Path java() {
            return home.resolve("bin/java");
        }
    }

    RuntimeCatalog(List<Jdk> jdks, Optional<Installed> python, Optional<Installed> node) {
        this.jdks = jdks.stream().sorted(Comparator.comparingInt(Jdk::major)).toList();
        this.python = python;
        this.node = node;
    }

    /** Looks at the machine: the system's JVM directory, JAVA_HOME, the running JDK, python3 and node. */
    public static RuntimeCatalog detect() {
        return new RuntimeCatalog(findJdks(), findPython(), findNode());
    }

    @Override
    public Optional<String> missing(String runtime) {
        return switch (Runtimes.family(runtime)) {
            case JAVA -> jdkFor(runtime).isPresent() ? Optional.empty()
                    : Optional.of("no JDK " + Runtimes.javaVersion(runtime).orElse(0) + " or newer is installed");
            case PYTHON -> python.isPresent() ? Optional.empty() : Optional.of("no Python 3.9 or newer is installed");
            case NODE -> node.isPresent() ? Optional.empty() : Optional.of("no Node.js 18 or newer is installed");
            case PROVIDED -> Optional.empty();
            case OTHER -> Optional.of("Thunk has no runtime client for " + runtime);
        };
    }

    /** The java executable for a Java runtime: the lowest installed JDK at least as new as the runtime asks. */
    public Optional<Installed> jdkFor(String runtime) {
        int wanted = Runtimes.javaVersion(runtime).orElseThrow();
        return jdks.stream().filter(j -> j.major() >= wanted).findFirst()
                .map(j -> new Installed(j.java(), Integer.toString(j.major())));
    }

    /** The java executables Java runtimes run on, each once, lowest JDK first. */
    List<Path> javaExecutables() {
        return JAVA_RUNTIMES.stream().flatMap(r -> jdkFor(r).stream()).map(Installed::executable).distinct().toList();
    }

    public Optional<Installed> python() {
        return python;
    }

    public Optional<Installed> node() {
        return node;
    }

    /** One line per runtime family, for the start-up report. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        Map<String, String> java = new LinkedHashMap<>();
        for (String runtime : JAVA_RUNTIMES) {
            java.put(runtime, jdkFor(runtime).map(i -> "JDK " + i.version() + " at " + i.executable().getParent().getParent())
                    .orElse("unavailable (" + missing(runtime).orElse("") + ")"));
        }
        java.forEach((runtime, what) -> lines.add(runtime + ": " + what));
        lines.add("python3.9..python3.14: " + python.map(p -> "Python " + p.version() + " at " + p.executable())
                .orElse("unavailable (no Python 3.9 or newer)"));
        lines.add("nodejs18.x..nodejs24.x: " + node.map(n -> "Node.js " + n.version() + " at " + n.executable())
                .orElse("unavailable (no Node.js 18 or newer)"));
        lines.add("provided, provided.al2, provided.al2023: the package's own bootstrap");
        return lines;
    }

    private static List<Jdk> findJdks() {
        List<Path> homes = new ArrayList<>();
        homes.add(Path.of(System.getProperty("java.home")));
        Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(homes::add);
        for (String dir : List.of("/usr/lib/jvm", "/usr/java", "/opt/java")) {
            try (Stream<Path> entries = Files.list(Path.of(dir))) {
                entries.forEach(homes::add);
            } catch (IOException e) {
                // Not there on this machine.
            }
        }
        Map<Path, Jdk> byRealPath = new LinkedHashMap<>();
        for (Path home : homes) {
            try {
                Path real = home.toRealPath();
                if (Files.isExecutable(real.resolve("bin/java"))) {
                    releaseVersion(real).ifPresent(major -> byRealPath.putIfAbsent(real, new Jdk(real, major)));
                }
            } catch (IOException e) {
                // A dangling link in the JVM directory.
            }
        }
        return List.copyOf(byRealPath.values());
    }

    private static Optional<Integer> releaseVersion(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                Matcher m = Pattern.compile("^JAVA_VERSION=\"(\\d+)").matcher(line);
                if (m.find()) {
                    int major = Integer.parseInt(m.group(1));
                    return Optional.of(major == 1 ? 8 : major);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The system interpreter first: it starts in a fraction of the time a version manager's shim takes. */
    private static Optional<Installed> findPython() {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3", "python3")) {
            Optional<String> out = run(candidate, "-c",
                    "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])");
            if (out.isEmpty()) {
                continue;
            }
            String[] lines = out.get().strip().split("\n");
            if (lines.length == 2 && atLeast(lines[1], 3, 9)) {
                return Optional.of(new Installed(Path.of(lines[0].strip()), lines[1].strip()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Installed> findNode() {
        for (String candidate : List.of("node", "/usr/bin/node", "/usr/local/bin/node")) {
            Optional<String> out = run(candidate, "-e", "console.log(process.execPath); console.log(process.versions.node)");
            if (out.isEmpty()) {
                continue;
            }
            String[] lines = out.get().strip().split("\n");
            if (lines.length == 2 && atLeast(lines[1], 18, 0)) {
                return Optional.of(new Installed(Path.of(lines[0].strip()), lines[1].strip()));
            }
        }
        return Optional.empty();
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.strip().split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<String> run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
