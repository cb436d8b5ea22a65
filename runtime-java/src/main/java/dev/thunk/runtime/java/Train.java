package dev.thunk.runtime.java;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training run for a class-data archive (JDK 17 AppCDS, JDK 25 AOT cache): runs the runtime's real start-up
 * path ({@link Main#run}) for each handler in {@link dev.thunk.runtime.java.training}, against a Runtime API of
 * its own on loopback, then exits 0. Run it with the same JDK, class path and JVM flags as the runtime, plus the
 * flag that writes the archive:
 *
 * <pre>
 * java -XX:ArchiveClassesAtExit=runtime.jsa -cp &lt;class path&gt; dev.thunk.runtime.java.Train   (JDK 17)
 * java -XX:AOTCacheOutput=runtime.aot -cp &lt;class path&gt; dev.thunk.runtime.java.Train       (JDK 25)
 * </pre>
 *
 * Needs no network, no files and no environment; prints one line. Exit status 1 when a training handler did not
 * answer as expected, so a broken archive is never built silently.
 */
public final class Train {

    private static final String PACKAGE = "dev.thunk.runtime.java.training.";

    /** Handler, then the events it gets: each must be answered with a response, but {@code "fail"}s with an error. */
    private static final List<List<String>> RUNS = List.of(
            List.of(PACKAGE + "MapHandler", "{\"name\":\"Ada\",\"n\":[1,-2,3000000000,2.5e3,true,null,{\"x\":\"\\u00e9\"}]}",
                    "{\"fail\":true}", "{name:'lenient'}"),
            List.of(PACKAGE + "PojoHandler", "{\"name\":\"Ada\",\"count\":1,\"tags\":[\"a\",\"b\"],\"other\":1}"),
            List.of(PACKAGE + "StreamHandler", "{\"bytes\":true}"),
            List.of(PACKAGE + "StreamHandler::upper", "\"shout\""));

    private Train() {
    }

    public static void main(String[] args) {
        PrintStream console = Main.console(FileDescriptor.out);
        String failure = exercise();
        if (failure != null) {
            console.println("thunk-runtime-java: " + failure);
            System.exit(1);
        }
        console.println("thunk-runtime-java: trained on " + RUNS.size() + " handlers");
    }

    /**
     * Runs every training handler through {@link Main#run} once, printing nothing: the training workload, and a
     * stem cell's warm-up before it is bound ({@link StemCell}).
     *
     * @return null when every handler answered as expected, else what went wrong
     */
    static String exercise() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int expected = 0;
        int responses = 0;
        int errors = 0;
        int failing = 0;
        for (List<String> run : RUNS) {
            List<String> events = run.subList(1, run.size());
            try (LoopbackRuntimeApi api = new LoopbackRuntimeApi(events)) {
                RuntimeConfig config = RuntimeConfig.fromEnvironment(Map.of(
                        "AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.port(),
                        "LAMBDA_TASK_ROOT", System.getProperty("java.io.tmpdir") + "/thunk-train-no-task-root"),
                        run.get(0));
                Main.run(config, quiet, quiet); // returns when the API goes away after the last event
                responses += api.responses;
                errors += api.errors;
            }
            for (String event : events) {
                failing += event.contains("\"fail\"") ? 1 : 0;
            }
            expected += events.size();
        }
        if (responses != expected - failing || errors != failing) {
            return "training got " + responses + " responses and " + errors + " errors, expected "
                    + (expected - failing) + " and " + failing;
        }
        return null;
    }

    /**
     * Hands out its events on {@code /next}, accepts every post, and closes after the last event, which ends
     * {@link Main#run}. One connection at a time, as the runtime keeps one alive.
     */
    private static final class LoopbackRuntimeApi implements AutoCloseable, Runnable {
        private final ServerSocket server;
        private final Deque<String> events;
        private final Thread thread;
        /** Posts to {@code /response}, and all others (invocation and init errors). */
        volatile int responses;
        volatile int errors;

        LoopbackRuntimeApi(List<String> events) {
            this.events = new ArrayDeque<>(events);
            try {
                server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // A Runnable rather than a lambda: no invokedynamic bootstrap the runtime itself never needs.
            thread = new Thread(this, "train-runtime-api");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void run() {
            try {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        OutputStream out = socket.getOutputStream();
                        String head;
                        while ((head = readHead(in)) != null) {
                            if (!answer(head, in, out)) {
                                server.close();
                                return;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // Closed: training is over.
            }
        }

        /** @return false after the last event, when the API goes away */
        private boolean answer(String head, InputStream in, OutputStream out) throws IOException {
            String lower = head.toLowerCase(Locale.ROOT);
            int length = lower.indexOf("content-length:");
            if (length >= 0) {
                int end = lower.indexOf('\r', length);
                in.readNBytes(Integer.parseInt(lower.substring(length + 15, end).trim()));
            }
            if (head.startsWith("POST")) {
                if (head.substring(0, head.indexOf('\r')).endsWith("/response HTTP/1.1")) {
                    responses++;
                } else {
                    errors++;
                }
                out.write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return true;
            }
            String event = events.poll();
            if (event == null) {
                return false;
            }
            byte[] body = event.getBytes(StandardCharsets.UTF_8);
            String response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Lambda-Runtime-Aws-Request-Id: train-" + events.size() + "\r\n"
                    + "Lambda-Runtime-Deadline-Ms: " + (System.currentTimeMillis() + 60_000) + "\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return true;
        }

        /** @return the request line and headers, or null at the end of the connection */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            int b;
            while (last4 != 0x0D0A0D0A && (b = in.read()) >= 0) {
                head.write(b);
                last4 = (last4 << 8) | b;
            }
            return last4 == 0x0D0A0D0A ? head.toString(StandardCharsets.US_ASCII) : null;
        }

        @Override
        public void close() {
            try {
                server.close();
                thread.join(10_000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
