package dev.thunk.engine.launch;

import dev.thunk.core.FunctionConfig;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Runtimes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts a function's runtime: the package's {@code bootstrap} for custom runtimes, Thunk's own
 * runtime client on the catalogue's interpreter or JDK for the others. JVMs are tuned for start-up, and their heap
 * is sized from the function's memory, as AWS sizes it; they start from the JDK's class-data archive of the
 * runtime client when {@link JavaArchives} has one ready.
 */
public final class RuntimeCommand {
    /**
     * The start-up tuning of every runtime client JVM, also used to train its class-data archives: the GC and
     * the other flags an archive records must be the same when it is built and when it is used. java.util is
     * opened to the runtime client so that a stem cell can make its bound variables {@code System.getenv()}'s
     * (the runtime client's {@code StemCell}); every runtime JVM gets the flag, since an AOT cache trained without
     * it is refused by a JVM started with it, and one archive serves both.
     */
    static final List<String> JVM_FLAGS = List.of("--add-opens=java.base/java.util=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xss512k");

    private final RuntimeCatalog catalog;
    private final RuntimeClients clients;
    private final JavaArchives archives;

    public RuntimeCommand(RuntimeCatalog catalog, RuntimeClients clients) {
        this(catalog, clients, JavaArchives.disabled());
    }

    public RuntimeCommand(RuntimeCatalog catalog, RuntimeClients clients, JavaArchives archives) {
        this.catalog = catalog;
        this.clients = clients;
        this.archives = archives;
    }

    /** The command of a function whose code is unpacked at {@code taskRoot} and whose layers are at {@code optRoot}. */
    public List<String> command(FunctionConfig config, Path taskRoot, Path optRoot) {
        String runtime = config.runtime();
        return switch (Runtimes.family(runtime)) {
            case PROVIDED -> List.of(bootstrap(taskRoot, optRoot).toString());
            // -S hides the host's site-packages: a function sees its own code, its layers and the standard library.
            case PYTHON -> List.of(require(catalog.python(), runtime).executable().toString(), "-S", "-u",
                    clients.pythonClient().toString());
            case NODE -> List.of(require(catalog.node(), runtime).executable().toString(),
                    clients.nodeClient().toString());
            case JAVA -> java(config);
            case OTHER -> throw LambdaException.invalidParameter("Thunk has no runtime client for " + runtime);
        };
    }

    /**
     * The command of a stem cell for functions of this configuration's runtime and memory size: the same as
     * {@link #command} (the runtime clients read the function from their binding, and a JVM's heap comes from the
     * memory size). Empty for runtimes without stem cells (custom runtimes: their bootstrap is the function's own
     * code).
     */
    public java.util.Optional<List<String>> stemCellCommand(FunctionConfig config) {
        return switch (Runtimes.family(config.runtime())) {
            case PYTHON, NODE, JAVA -> java.util.Optional.of(command(config, Path.of("."), Path.of(".")));
            case PROVIDED, OTHER -> java.util.Optional.empty();
        };
    }

    /**
     * AWS runs the package's own bootstrap, or else the one a layer put at the root of {@code /opt}. A function
     * without one is still created and Active in AWS; its invocations fail, with these messages.
     */
    private static Path bootstrap(Path taskRoot, Path optRoot) {
        Path own = taskRoot.resolve("bootstrap");
        Path layered = optRoot.resolve("bootstrap");
        Path chosen = Files.isRegularFile(own) ? own : layered;
        if (!Files.isRegularFile(chosen)) {
            throw new InvalidEntrypointException("Couldn't find valid bootstrap(s): [" + own + " " + layered + "]");
        }
        if (!Files.isExecutable(chosen)) {
            throw new InvalidEntrypointException("fork/exec " + chosen + ": permission denied");
        }
        return chosen;
    }

    /** The directory of the runtime client, for {@code LAMBDA_RUNTIME_DIR}. */
    public Path runtimeDir(FunctionConfig config, Path taskRoot) {
        return switch (Runtimes.family(config.runtime())) {
            case PYTHON -> clients.pythonClient().getParent();
            case NODE -> clients.nodeClient().getParent();
            case JAVA -> Path.of(clients.javaClassPath().split(java.io.File.pathSeparator)[0]).getParent();
            default -> taskRoot;
        };
    }

    private List<String> java(FunctionConfig config) {
        Path java = require(catalog.jdkFor(config.runtime()), config.runtime()).executable();
        // AWS gives the heap about 85% of the function's memory; the rest is the JVM's own.
        long heapMb = Math.max(64, config.memorySize() * 85L / 100);
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(JVM_FLAGS);
        command.addAll(archives.sharingFlags(java));
        command.addAll(List.of("-Xmx" + heapMb + "m", "-cp", clients.javaClassPath(), "dev.thunk.runtime.java.Main"));
        return List.copyOf(command);
    }

    private static <T> T require(java.util.Optional<T> value, String runtime) {
        return value.orElseThrow(() -> LambdaException.invalidParameter(
                "The runtime " + runtime + " cannot run on this Thunk server: its interpreter is not installed"));
    }
}
