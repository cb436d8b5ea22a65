package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real runtime, started as a child JVM the way the server starts it, its output kept in a file. */
final class RuntimeProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private RuntimeProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** The class path the server uses: the runtime's classes plus aws-lambda-java-core and -serialization. */
    static String runtimeClassPath() {
        return String.join(File.pathSeparator,
                codeSource(Main.class).toString(),
                codeSource(RequestHandler.class).toString(),
                codeSource(PojoSerializer.class).toString());
    }

    static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static RuntimeProcess start(Path javaHome, Path taskRoot, String handler, FakeRuntimeApi api,
                                Map<String, String> extraEnv, List<String> jvmFlags) throws IOException {
        return start(javaHome, runtimeClassPath(), taskRoot, handler, api, extraEnv, jvmFlags);
    }

    /** The server's java command (see the engine's RuntimeCommand), {@code jvmFlags} before the class path (if
     *  any), {@code mainClass} last. */
    static List<String> command(Path javaHome, List<String> jvmFlags, String classPath, String mainClass) {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData", "-Xss512k",
                "-Xmx217m"));
        for (String flag : jvmFlags) {
            if (flag.startsWith("-XX:AOTCache")) {
                command.remove("-Xshare:auto"); // JDK 25 refuses any -Xshare flag with an AOT cache flag
            }
        }
        command.addAll(jvmFlags);
        if (classPath != null) {
            command.add("-cp");
            command.add(classPath);
        }
        command.add(mainClass);
        return command;
    }

    static RuntimeProcess start(Path javaHome, String classPath, Path taskRoot, String handler, FakeRuntimeApi api,
                                Map<String, String> extraEnv, List<String> jvmFlags) throws IOException {
        List<String> command = command(javaHome, jvmFlags, classPath, "dev.thunk.runtime.java.Main");
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.clear(); // independent of whatever the build machine has set
        env.put("PATH", "/usr/bin:/bin");
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("THUNK_OPT_ROOT", taskRoot.resolve("no-opt").toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "fn");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/fn");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2025/01/01/[$LATEST]abc");
        env.putAll(extraEnv);
        Path output = Files.createTempFile(taskRoot.getParent(), "runtime-", ".log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(output.toFile());
        pb.directory(taskRoot.toFile());
        return new RuntimeProcess(pb.start(), output);
    }

    /** What the runtime and the function printed so far. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(FakeRuntimeApi.WAIT_SECONDS, TimeUnit.SECONDS)) {
            fail("runtime did not exit within " + FakeRuntimeApi.WAIT_SECONDS + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(FakeRuntimeApi.WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
