package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Thunk's Java runtime client: the first and only program in a Java function's execution environment.
 *
 * <p>Init phase: read {@link RuntimeConfig}, build the user's class loader, load the handler (running its static
 * initialiser and constructor). A handler that cannot be loaded is reported to {@code /runtime/init/error} and
 * the process exits with status 1. Invoke phase: {@link RuntimeLoop}, until the Runtime API goes away (exit 1)
 * or the JVM is broken (exit 1).
 *
 * <p>Cold start is a headline figure, so this class touches as little of the JDK as it can: no logging
 * framework, no java.net.http, no lambdas or string-concat bootstraps, no JSON library unless the handler maps
 * POJOs. Exit statuses: 0 never (the loop does not end normally), 1 runtime or init failure, 2 bad configuration.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Unbuffered UTF-8 streams, as AWS's runtime installs: each print reaches the platform at once, and
        // nothing the function printed is lost if the JVM dies.
        PrintStream out = console(FileDescriptor.out);
        PrintStream err = console(FileDescriptor.err);
        System.setOut(out);
        System.setErr(err);

        if (StemCell.isStemCell()) {
            try {
                // Function-independent warm-up (class loading, sockets, the JSON codecs), then wait to be bound.
                String failure = Train.exercise();
                if (failure != null) {
                    // The cell still runs functions, only less warm; the server reports this when it binds it.
                    err.println("thunk-runtime-java: stem cell warm-up: " + failure);
                }
                Thread.currentThread().setContextClassLoader(ClassLoader.getSystemClassLoader());
                out.print(StemCell.READY);
                if (!StemCell.awaitBinding()) {
                    System.exit(0); // released unbound
                    return;
                }
            } catch (IOException e) {
                err.println("thunk-runtime-java: " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        RuntimeConfig config;
        try {
            config = RuntimeConfig.fromEnvironment(System.getenv(), args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            err.println("thunk-runtime-java: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(config, out, err));
    }

    static PrintStream console(FileDescriptor fd) {
        return new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
    }

    /** @return the process exit status */
    static int run(RuntimeConfig config, PrintStream out, PrintStream err) {
        RuntimeApiClient api = new RuntimeApiClient(new SocketHttpClient(config.apiHost(), config.apiPort()));
        try {
            ClassLoader userLoader = TaskClassPath.classLoader(config);
            Thread.currentThread().setContextClassLoader(userLoader);
            RequestStreamHandler handler;
            try {
                handler = HandlerLoader.load(config.handler(), userLoader);
            } catch (HandlerLoadException e) {
                out.print(e.report().log());
                api.reportInitError(e.report());
                return 1;
            }
            StdoutLogger logger = new StdoutLogger(out, System.getenv("AWS_LAMBDA_LOG_LEVEL"));
            new RuntimeLoop(api, handler, config, logger, err).run();
            return 1;
        } catch (IOException e) {
            err.println("thunk-runtime-java: Runtime API at " + config.apiHost() + ":" + config.apiPort()
                    + " failed: " + e);
            return 1;
        } finally {
            api.close();
        }
    }
}
