package dev.thunk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code thunk deploy <dir|jar|zip> --name N ...}: creates the function, or updates its code and then the
 * configuration options that were given (options left out keep their values), and waits until the function is
 * Active with its last update Successful. Both waits poll GetFunctionConfiguration, as the AWS waiters do.
 */
final class DeployCommand {
    static final Set<String> OPTIONS = Set.of("name", "runtime", "handler", "memory", "timeout", "env", "role");
    static final String DEFAULT_ROLE = "arn:aws:iam::000000000000:role/thunk";

    private final ThunkClient client;
    private final Session session;

    DeployCommand(ThunkClient client, Session session) {
        this.client = client;
        this.session = session;
    }

    int run(Args args) {
        args.atMostPositionals(1);
        Path source = Path.of(args.positional(0, "a directory, jar or zip to deploy"));
        String name = args.required("name");
        ObjectNode config = configuration(args);
        byte[] zip = CodePackage.read(source);
        Optional<FunctionInfo> existing = client.find(name);
        Optional<String> runtime = text(config, "Runtime").or(() -> existing.map(FunctionInfo::runtime));
        if (runtime.filter(r -> r.startsWith("provided")).isPresent()) {
            // The server accepts such a package, as AWS does, and fails its invocations: say so before that.
            CodePackage.bootstrapProblem(source).ifPresent(problem -> session.err().println("thunk: warning: "
                    + problem + ": invocations will fail with Runtime.InvalidEntrypoint unless a layer brings one"));
        }
        if (existing.isEmpty()) {
            create(name, config, zip);
        } else {
            update(existing.get(), config, zip);
        }
        FunctionInfo settled = await(name, f -> !f.pending() && !f.updating(), "become Active");
        if (settled.state().filter("Active"::equals).isEmpty() && settled.state().isPresent()) {
            throw CliException.failed(name + " is " + settled.state().get() + ": "
                    + settled.stateReason().orElse("no reason given"));
        }
        if (settled.lastUpdateStatus().filter("Failed"::equals).isPresent()) {
            throw CliException.failed("the update of " + name + " failed: "
                    + settled.lastUpdateReason().orElse("no reason given"));
        }
        session.out().println(name + " is Active: " + settled.runtime() + ", handler " + settled.handler() + ", "
                + settled.memorySize() + " MB, " + settled.timeout() + " s timeout");
        session.out().println("  " + settled.arn());
        return 0;
    }

    private void create(String name, ObjectNode config, byte[] zip) {
        String runtime = text(config, "Runtime")
                .orElseThrow(() -> CliException.usage(name + " does not exist yet: creating it needs --runtime"));
        if (text(config, "Handler").isEmpty()) {
            if (!runtime.startsWith("provided")) {
                throw CliException.usage(name + " does not exist yet: creating it needs --handler");
            }
            config.put("Handler", "bootstrap");
        }
        if (text(config, "Role").isEmpty()) {
            config.put("Role", DEFAULT_ROLE);
        }
        ObjectNode body = ThunkClient.JSON.createObjectNode().put("FunctionName", name);
        body.setAll(config);
        body.putObject("Code").put("ZipFile", Base64.getEncoder().encodeToString(zip));
        FunctionInfo created = client.create(body);
        session.out().println("created " + created.name() + " (" + size(zip) + ", CodeSha256 "
                + created.codeSha256() + ")");
    }

    private void update(FunctionInfo existing, ObjectNode config, byte[] zip) {
        String name = existing.name();
        if (existing.updating()) {
            await(name, f -> !f.updating(), "finish its previous update");
        }
        FunctionInfo updated = client.updateCode(name, zip);
        session.out().println("updated the code of " + name + " (" + size(zip) + ", CodeSha256 "
                + updated.codeSha256() + ")");
        if (!config.isEmpty()) {
            // Lambda refuses a configuration change while the code update is InProgress.
            await(name, f -> !f.updating(), "finish updating its code");
            client.updateConfiguration(name, config);
            session.out().println("updated the configuration of " + name + " (" + String.join(", ",
                    config.properties().stream().map(Map.Entry::getKey).toList()) + ")");
        }
    }

    /** The configuration options that were given, as UpdateFunctionConfiguration / CreateFunction fields. */
    static ObjectNode configuration(Args args) {
        ObjectNode config = ThunkClient.JSON.createObjectNode();
        args.value("runtime").ifPresent(v -> config.put("Runtime", v));
        args.value("handler").ifPresent(v -> config.put("Handler", v));
        args.value("role").ifPresent(v -> config.put("Role", v));
        args.intValue("memory").ifPresent(v -> config.put("MemorySize", v));
        args.intValue("timeout").ifPresent(v -> config.put("Timeout", v));
        if (!args.values("env").isEmpty()) {
            Map<String, String> variables = new LinkedHashMap<>();
            for (String pair : args.values("env")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw CliException.usage("--env takes KEY=VALUE, not '" + pair + "'");
                }
                variables.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            ObjectNode node = config.putObject("Environment").putObject("Variables");
            variables.forEach(node::put);
        }
        return config;
    }

    private FunctionInfo await(String name, Predicate<FunctionInfo> done, String what) {
        long deadline = System.nanoTime() + session.waitLimit().toNanos();
        while (true) {
            FunctionInfo f = client.configuration(name);
            if (done.test(f)) {
                return f;
            }
            if (System.nanoTime() - deadline > 0) {
                throw CliException.failed("gave up waiting for " + name + " to " + what + " after "
                        + seconds(session.waitLimit()) + " (" + f.describeStatus() + ")");
            }
            try {
                Thread.sleep(session.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for " + name + " to " + what, e);
            }
        }
    }

    private static Optional<String> text(ObjectNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private static String size(byte[] zip) {
        return zip.length < 10_240 ? zip.length + " bytes" : (zip.length + 512) / 1024 + " KiB";
    }
}
