package dev.thunk.runtime.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start as the server sees it — spawn to the first {@code /next}, and to the first response — for a plain
 * JSON handler and a POJO handler, without and with a trained class-data archive, on each JDK given, with the
 * bare {@code java -version} start on the same JDK as the floor. Medians in milliseconds. Not a test (timings
 * do not belong in assertions); run by hand after {@code mvn package}:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(deps) dev.thunk.runtime.java.ColdStartBench 15 \
 *     target/thunk-runtime-java.jar /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64
 * </pre>
 */
final class ColdStartBench {

    private record Handler(String name, String event) {
    }

    private static final List<Handler> HANDLERS = List.of(
            new Handler("example.HelloHandler", "{\"name\":\"Ada\"}"),
            new Handler("example.GreetingHandler", "{\"name\":\"Ada\",\"times\":1}"));

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path jar = Path.of(args[1]).toAbsolutePath();
        Path work = Files.createTempDirectory("thunk-coldstart");
        Path taskRoot = TaskRoot.create(work);
        String classPath = String.join(":", jar.toString(),
                RuntimeProcess.codeSource(com.amazonaws.services.lambda.runtime.RequestHandler.class).toString(),
                RuntimeProcess.codeSource(com.amazonaws.services.lambda.runtime.serialization.PojoSerializer.class)
                        .toString());
        System.out.printf("%-28s %-24s %-8s %10s %10s%n", "jdk", "handler", "archive", "to /next", "to answer");
        for (int i = 2; i < args.length; i++) {
            Path jdk = Path.of(args[i]);
            long start = System.nanoTime();
            ClassDataArchive archive = ClassDataArchive.train(jdk, classPath,
                    work.resolve(jdk.getFileName() + (ClassDataArchive.hasAotCache(jdk) ? ".aot" : ".jsa")));
            System.out.printf("# %s: trained in %d ms, archive %d KB%n", jdk.getFileName(),
                    (System.nanoTime() - start) / 1_000_000, Files.size(archive.file()) / 1024);
            Map<String, List<long[]>> samples = new LinkedHashMap<>();
            for (int run = -1; run < runs; run++) { // run -1 warms the bench's own JVM up, and is dropped
                sample(samples, run, "java -version", "-", new long[] {0, floor(jdk)});
                for (Handler h : HANDLERS) {
                    sample(samples, run, h.name(), "none", once(jdk, classPath, taskRoot, h, List.of()));
                    sample(samples, run, h.name(), "trained", once(jdk, classPath, taskRoot, h, archive.useFlags()));
                }
            }
            samples.forEach((key, values) -> {
                String[] parts = key.split("\\|");
                System.out.printf("%-28s %-24s %-8s %10s %10.1f%n", jdk.getFileName(), parts[0], parts[1],
                        parts[1].equals("-") ? "-" : String.format("%.1f", median(values, 0)), median(values, 1));
            });
        }
    }

    private static void sample(Map<String, List<long[]>> samples, int run, String handler, String archive, long[] v) {
        if (run >= 0) {
            samples.computeIfAbsent(handler + "|" + archive, k -> new ArrayList<>()).add(v);
        }
    }

    /** @return nanoseconds from spawn to the first /next and to the first response */
    private static long[] once(Path jdk, String classPath, Path taskRoot, Handler handler, List<String> flags)
            throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi()) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", handler.event()));
            long start = System.nanoTime();
            try (RuntimeProcess runtime = RuntimeProcess.start(jdk, classPath, taskRoot, handler.name(), api,
                    Map.of(), flags)) {
                FakeRuntimeApi.Post post = api.awaitPost();
                if (!post.kind().equals("response")) {
                    throw new IllegalStateException(handler + " answered " + post.text() + "\n" + runtime.output());
                }
                return new long[] {api.firstNextNanos() - start, post.receivedNanos() - start};
            }
        }
    }

    private static long floor(Path jdk) throws IOException, InterruptedException {
        List<String> command = RuntimeProcess.command(jdk, List.of(), null, "-version");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("java -version failed on " + jdk);
        }
        return System.nanoTime() - start;
    }

    private static double median(List<long[]> values, int index) {
        long[] sorted = values.stream().mapToLong(v -> v[index]).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1_000_000.0;
    }
}
