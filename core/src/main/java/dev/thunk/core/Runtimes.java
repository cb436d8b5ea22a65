package dev.thunk.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The runtime identifiers of AWS Lambda's model and the family each belongs to. Which of them this machine can
 * actually run is a separate question, answered at start by the engine ({@link RuntimeAvailability}).
 */
public final class Runtimes {
    public enum Family { JAVA, PYTHON, NODE, PROVIDED, OTHER }

    /** AWS's {@code Runtime} enum, in the service model's order; anything else is a ValidationException. */
    public static final List<String> MODEL_ENUM = List.of(
            "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x",
            "nodejs16.x", "java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7", "python3.8",
            "python3.9", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8",
            "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x",
            "python3.10", "java17", "ruby3.2", "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x",
            "provided.al2023", "python3.12", "java21", "python3.13", "nodejs22.x", "nodejs24.x", "python3.14",
            "java25", "dotnet10");

    /** Runtimes AWS no longer accepts for creating or updating functions. */
    private static final Set<String> DEPRECATED = Set.of(
            "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x",
            "nodejs16.x", "java8", "python2.7", "python3.6", "python3.7", "python3.8", "dotnetcore1.0",
            "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "nodejs4.3-edge", "go1.x", "ruby2.5",
            "ruby2.7");

    private Runtimes() {
    }

    public static Family family(String runtime) {
        if (runtime.startsWith("java")) {
            return Family.JAVA;
        }
        if (runtime.startsWith("python")) {
            return Family.PYTHON;
        }
        if (runtime.startsWith("nodejs")) {
            return Family.NODE;
        }
        if (runtime.startsWith("provided")) {
            return Family.PROVIDED;
        }
        return Family.OTHER;
    }

    public static boolean deprecated(String runtime) {
        return DEPRECATED.contains(runtime);
    }

    /** The minimum major version a Java runtime id asks for ({@code java21} → 21), if it is a Java runtime. */
    public static Optional<Integer> javaVersion(String runtime) {
        if (family(runtime) != Family.JAVA) {
            return Optional.empty();
        }
        String digits = runtime.substring(4).replace(".al2", "");
        return Optional.of(Integer.parseInt(digits));
    }
}
