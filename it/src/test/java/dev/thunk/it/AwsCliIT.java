package dev.thunk.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AWS CLI (botocore signs differently from the Java SDK: no {@code x-amz-content-sha256} header) against a
 * server, with nothing but the credentials file the server wrote: {@code AWS_SHARED_CREDENTIALS_FILE=... aws
 * --profile thunk}. Versions 1 and 2 of the CLI; skipped where no {@code aws} command is installed.
 */
class AwsCliIT {
    static TestServer server;
    /** {@code aws --version}'s first word, e.g. {@code aws-cli/2.9.19}; null where there is no aws command. */
    static String version;

    @BeforeAll
    static void start() {
        version = awsVersion();
        assumeTrue(version != null, "no aws command on this machine");
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theCredentialsFileIsOnlyForItsOwnerAndHoldsNoRegion() throws IOException {
        Path file = server.dataDir().resolve("aws-credentials");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String content = Files.readString(file);
        assertTrue(content.contains("[thunk]") && !content.contains("region"), content);
    }

    @Test
    void theCliCreatesInvokesAndReadsThePolicyWithProfileThunk(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("function.zip");
        Files.write(zip, Functions.helloZip());
        Run created = aws(dir, "lambda", "create-function", "--function-name", "from-aws-cli",
                "--runtime", "provided.al2023", "--handler", "bootstrap", "--role", Functions.ROLE,
                "--zip-file", "fileb://" + zip);
        assertEquals(0, created.code(), created.output());
        assertEquals(0, aws(dir, "lambda", "wait", "function-active-v2", "--function-name", "from-aws-cli").code());
        Run listed = aws(dir, "lambda", "list-functions");
        assertTrue(listed.code() == 0 && listed.output().contains("from-aws-cli"), listed.output());
        List<String> invoke = new ArrayList<>(List.of("lambda", "invoke", "--function-name", "from-aws-cli",
                "--payload", "{}", dir.resolve("out.json").toString()));
        if (!version.startsWith("aws-cli/1.")) {
            // Version 2 reads --payload as base64 unless told otherwise (version 1 knows no such option).
            invoke.addAll(List.of("--cli-binary-format", "raw-in-base64-out"));
        }
        Run invoked = aws(dir, invoke.toArray(String[]::new));
        assertEquals(0, invoked.code(), invoked.output());
        Run added = aws(dir, "lambda", "add-permission", "--function-name", "from-aws-cli", "--statement-id", "cli",
                "--action", "lambda:InvokeFunction", "--principal", "111111111111");
        assertEquals(0, added.code(), added.output());
        Run policy = aws(dir, "lambda", "get-policy", "--function-name", "from-aws-cli");
        assertTrue(policy.code() == 0 && policy.output().contains("arn:aws:iam::111111111111:root"), policy.output());
    }

    @Test
    void theCliWithoutTheProfileIsRefused(@TempDir Path dir) throws Exception {
        Run refused = run(dir, Map.of("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
                        "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                "lambda", "list-functions");
        assertTrue(refused.code() != 0 && refused.output().contains("UnrecognizedClientException"),
                refused.output());
    }

    private record Run(int code, String output) {
    }

    private static Run aws(Path dir, String... args) throws Exception {
        List<String> withProfile = new ArrayList<>(List.of("--profile", "thunk"));
        withProfile.addAll(List.of(args));
        return run(dir, Map.of("AWS_SHARED_CREDENTIALS_FILE", server.dataDir().resolve("aws-credentials").toString()),
                withProfile.toArray(String[]::new));
    }

    private static Run run(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--region", "us-east-1", "--endpoint-url",
                server.endpoint(), "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        // Only what the test gives: no keys, profiles or configuration of the machine's user.
        environment.keySet().removeIf(k -> k.startsWith("AWS_"));
        environment.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        environment.put("AWS_PAGER", ""); // version 2 pages its output otherwise
        environment.putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws did not finish: " + command);
        }
        return new Run(process.exitValue(), output);
    }

    private static String awsVersion() {
        try {
            Process p = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            // The version token wherever it is: a Python warning may come first.
            for (String token : output.split("\\s+")) {
                if (token.startsWith("aws-cli/")) {
                    return token;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
