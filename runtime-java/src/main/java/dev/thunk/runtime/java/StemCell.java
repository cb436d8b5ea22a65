package dev.thunk.runtime.java;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A JVM started ahead of need, before its function is known (a stem cell: the server sets {@code THUNK_STEM_CELL}).
 * The JVM has started and the runtime's classes are loaded; {@link #awaitBinding} then blocks until the server
 * binds this process to a function with one line of JSON on standard input, {@code {"env": {...}}}: the function's
 * complete environment (its own variables and the reserved ones, {@code AWS_LAMBDA_RUNTIME_API} among them). From
 * there on the runtime runs exactly as in a JVM started with that environment. Standard input is a pipe only the
 * server holds: the binding needs no port and no credentials, and an unbound cell whose server is gone reads EOF.
 *
 * <p>User code must see its own variables through {@link System#getenv()}, which the JDK copies once, at start-up,
 * into an unmodifiable map. This is the one place that replaces that map's contents: through reflection on
 * {@code Collections.UnmodifiableMap.m} (the JDK's {@code ProcessEnvironment.StringEnvironment} over its variable
 * table), which needs {@code --add-opens java.base/java.util=ALL-UNNAMED} on the stem cell's command line. What
 * it cannot change is the C library's own environment: native code calling {@code getenv}, and child processes
 * started without an explicit environment, see the cell's start-up variables.
 */
final class StemCell {
    private static final int MAX_BINDING = 1 << 20;
    /**
     * Printed once warm, before waiting: the server binds only cells that are ready (it empties the output before
     * it becomes the function's log).
     */
    static final String READY = "thunk: stem cell ready\n";

    private StemCell() {
    }

    /** Whether this JVM was started as a stem cell. */
    static boolean isStemCell() {
        String marker = System.getenv("THUNK_STEM_CELL");
        return marker != null && !marker.isEmpty();
    }

    /**
     * Blocks until bound, then makes the bound variables this JVM's environment.
     *
     * @return false when standard input ended before any binding (the server let the cell go)
     */
    static boolean awaitBinding() throws IOException {
        byte[] line = readLine(new FileInputStream(FileDescriptor.in));
        if (line == null) {
            return false;
        }
        Object parsed = Json.parse(new String(line, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?> binding) || !(binding.get("env") instanceof Map<?, ?> environment)) {
            throw new IOException("a stem cell binding must be {\"env\": {...}}");
        }
        replaceEnvironment(environment);
        return true;
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        byte[] buffer = new byte[8192];
        while (true) {
            int read = in.read(buffer);
            if (read < 0) {
                return null;
            }
            line.write(buffer, 0, read);
            if (buffer[read - 1] == '\n') {
                return line.toByteArray();
            }
            if (line.size() > MAX_BINDING) {
                throw new IOException("stem cell binding longer than " + MAX_BINDING + " bytes");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void replaceEnvironment(Map<?, ?> variables) throws IOException {
        Map<String, String> unmodifiable = System.getenv();
        try {
            Field inner = Class.forName("java.util.Collections$UnmodifiableMap").getDeclaredField("m");
            inner.setAccessible(true);
            Map<String, String> writable = (Map<String, String>) inner.get(unmodifiable);
            writable.clear();
            for (Map.Entry<?, ?> variable : variables.entrySet()) {
                writable.put(String.valueOf(variable.getKey()), String.valueOf(variable.getValue()));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot set the environment of a stem cell (is java.util opened to the runtime?): "
                    + e, e);
        }
    }
}
