package dev.thunk.engine.launch;

import dev.thunk.core.FunctionConfig;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Runtimes;

import java.nio.file.Path;
import java.util.List;

/**
 * The command that starts a function's runtime: the package's {@code bootstrap} for custom runtimes, Thunk's own
 * runtime client on the catalogue's interpreter or JDK for the others. JVMs are tuned for start-up, and their heap
 * is sized from the function's memory, as AWS sizes it.
 */
public final class RuntimeCommand {
    private final RuntimeCatalog catalog;
    private final RuntimeClients clients;

    public RuntimeCommand(RuntimeCatalog catalog, RuntimeClients clients) {
        this.catalog = catalog;
        this.clients = clients;
    }

    public List<String> command(FunctionConfig config, Path taskRoot) {
        String runtime = config.runtime();
        return switch (Runtimes.family(runtime)) {
            case PROVIDED -> List.of(taskRoot.resolve("bootstrap").toString());
            // -S hides the host's site-packages: a function sees its own code, its layers and the standard library.
            case PYTHON -> List.of(require(catalog.python(), runtime).executable().toString(), "-S", "-u",
                    clients.pythonClient().toString());
            case NODE -> List.of(require(catalog.node(), runtime).executable().toString(),
                    clients.nodeClient().toString());
            case JAVA -> java(config);
            case OTHER -> throw LambdaException.invalidParameter("Thunk has no runtime client for " + runtime);
        };
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
        return List.of(java.toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:-UsePerfData",
                "-Xss512k",
                "-Xmx" + heapMb + "m",
                "-cp", clients.javaClassPath(),
                "dev.thunk.runtime.java.Main");
    }

    private static <T> T require(java.util.Optional<T> value, String runtime) {
        return value.orElseThrow(() -> LambdaException.invalidParameter(
                "The runtime " + runtime + " cannot run on this Thunk server: its interpreter is not installed"));
    }
}
