package dev.thunk.bench;

import dev.thunk.bench.handlers.Noop;
import dev.thunk.bench.handlers.Sleep;
import dev.thunk.testkit.TestZip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A no-op function of one runtime: what the bench deploys to measure that runtime. Each package is built once and
 * is byte-for-byte the same for every function of the runtime, so Thunk stores and unpacks it once.
 */
record BenchFunction(String label, String runtime, String handler, byte[] zip, double coldTargetMs) {
    static final String PYTHON = """
            def handler(event, context):
                return {}
            """;

    static final String NODE = """
            exports.handler = async (event, context) => ({});
            """;

    /**
     * The custom runtime's bootstrap: Python without site ({@code -S}) speaking the Runtime API over one keep-alive
     * socket, as a compiled bootstrap (Go, Rust, C) would, instead of urllib, whose import alone costs more than
     * the rest of the start. No C compiler needed, and nothing Thunk does for it.
     */
    static final String PROVIDED_BOOTSTRAP = """
            #!/usr/bin/python3 -S
            import os, socket
            host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
            sock = socket.create_connection((host, int(port)))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            reader = sock.makefile("rb")
            def call(method, path, body=b""):
                sock.sendall(b"%s %s HTTP/1.1\\r\\nHost: runtime\\r\\nContent-Length: %d\\r\\n\\r\\n%s"
                             % (method, path, len(body), body))
                if not reader.readline():
                    raise SystemExit(1)
                headers = {}
                while True:
                    line = reader.readline()
                    if line in (b"\\r\\n", b"\\n", b""):
                        break
                    name, _, value = line.partition(b":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get(b"content-length", b"0"))
                return headers, reader.read(length) if length else b""
            while True:
                headers, event = call(b"GET", b"/2018-06-01/runtime/invocation/next")
                request_id = headers[b"lambda-runtime-aws-request-id"]
                call(b"POST", b"/2018-06-01/runtime/invocation/" + request_id + b"/response", b"{}")
            """;

    /** The idle-memory functions: each runtime's no-op plus a 300 ms sleep, so N concurrent calls need N environments. */
    static final String PYTHON_SLEEP = """
            import time
            def handler(event, context):
                time.sleep(0.3)
                return {}
            """;

    static final String NODE_SLEEP = """
            exports.handler = async (event, context) => {
              await new Promise(resolve => setTimeout(resolve, 300));
              return {};
            };
            """;

    static final String PROVIDED_SLEEP_BOOTSTRAP = PROVIDED_BOOTSTRAP
            .replace("import os, socket\n", "import os, socket, time\n")
            .replace("    call(b\"POST\"", "    time.sleep(0.3)\n    call(b\"POST\"");

    /**
     * The scale-out function: sleeps a second and answers the wall-clock time (epoch milliseconds) at which its
     * handler started, so the client knows when each environment became busy.
     */
    static final String PYTHON_STARTED = """
            import time
            def handler(event, context):
                started = time.time() * 1000.0
                time.sleep(1.0)
                return {"started": started}
            """;

    static List<BenchFunction> sleepers() {
        if (!PROVIDED_SLEEP_BOOTSTRAP.contains("time.sleep(0.3)")) {
            throw new IllegalStateException("the sleeping bootstrap was not derived from the no-op one");
        }
        return List.of(
                new BenchFunction("python3.12", "python3.12", "app.handler",
                        TestZip.create().file("app.py", PYTHON_SLEEP).bytes(), Double.NaN),
                new BenchFunction("nodejs20.x", "nodejs20.x", "index.handler",
                        TestZip.create().file("index.js", NODE_SLEEP).bytes(), Double.NaN),
                new BenchFunction("java21", "java21", Sleep.class.getName(), javaZip(Sleep.class), Double.NaN),
                new BenchFunction("provided.al2023", "provided.al2023", "bootstrap",
                        TestZip.create().executable("bootstrap", PROVIDED_SLEEP_BOOTSTRAP).bytes(), Double.NaN));
    }

    static BenchFunction pythonStarted() {
        return new BenchFunction("python3.12", "python3.12", "app.handler",
                TestZip.create().file("app.py", PYTHON_STARTED).bytes(), Double.NaN);
    }

    /** The label of the compiled no-op custom runtime, measured beside the scripted one where a C compiler exists. */
    static final String NATIVE_PROVIDED = "provided.al2023 (C)";

    /**
     * The no-op custom runtime compiled from C ({@code noop-bootstrap.c}) with the machine's {@code cc}: the usual
     * shape of a custom runtime (Go, Rust), so the function's own cost is close to nothing. Empty without a
     * compiler.
     */
    static java.util.Optional<BenchFunction> nativeProvided() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("thunk-bench-c-");
            try {
                java.nio.file.Path source = dir.resolve("bootstrap.c");
                try (InputStream in = BenchFunction.class.getResourceAsStream("noop-bootstrap.c")) {
                    java.nio.file.Files.write(source, in.readAllBytes());
                }
                java.nio.file.Path binary = dir.resolve("bootstrap");
                Process cc = new ProcessBuilder("cc", "-O2", "-Wall", "-Werror", "-o", binary.toString(), source.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (cc.waitFor() != 0 || !java.nio.file.Files.exists(binary)) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new BenchFunction(NATIVE_PROVIDED, "provided.al2023", "bootstrap",
                        TestZip.create().file("bootstrap", java.nio.file.Files.readAllBytes(binary), 0100755).bytes(),
                        Double.NaN));
            } finally {
                Bench.deleteTree(dir);
            }
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    static List<BenchFunction> all() {
        List<BenchFunction> all = new java.util.ArrayList<>(scripted());
        nativeProvided().ifPresent(all::add);
        return List.copyOf(all);
    }

    private static List<BenchFunction> scripted() {
        return List.of(
                new BenchFunction("python3.12", "python3.12", "app.handler",
                        TestZip.create().file("app.py", PYTHON).bytes(), 100),
                new BenchFunction("nodejs20.x", "nodejs20.x", "index.handler",
                        TestZip.create().file("index.js", NODE).bytes(), 100),
                new BenchFunction("java21", "java21", Noop.class.getName(), javaZip(Noop.class), 150),
                new BenchFunction("provided.al2023", "provided.al2023", "bootstrap",
                        TestZip.create().executable("bootstrap", PROVIDED_BOOTSTRAP).bytes(), Double.NaN));
    }

    /** The handler's class file at the zip's root, the way AWS's Java packages hold classes. */
    private static byte[] javaZip(Class<?> handler) {
        String entry = handler.getName().replace('.', '/') + ".class";
        try (InputStream in = handler.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IllegalStateException("the class file " + entry + " is not on the class path");
            }
            return TestZip.create().file(entry, in.readAllBytes(), 0100644).bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
