package dev.thunk.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The key pair the CLI signs with: profile {@code thunk} of the AWS shared-credentials file the server writes into
 * its data directory. The file is {@code --credentials FILE}, else {@code $THUNK_CREDENTIALS}, else
 * {@code ~/.thunk/aws-credentials} (the default data directory's). No file means unsigned requests, which only a
 * server started with {@code --no-auth} accepts. {@code AWS_*} variables are not read: they usually hold keys for
 * the real AWS, which Thunk does not know.
 */
record Credentials(String accessKeyId, String secretAccessKey) {
    static final String PROFILE = "thunk";

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + "]";
    }

    static Optional<Credentials> find(Args args, Session session) {
        Optional<String> named = args.value("credentials").or(() -> nonBlank(session.env().get("THUNK_CREDENTIALS")));
        Optional<Path> file = named.map(Path::of)
                .or(() -> nonBlank(session.env().get("HOME")).map(home -> Path.of(home, ".thunk", "aws-credentials")));
        if (file.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (named.isPresent()) {
                throw CliException.usage("no credentials file " + file.get());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw CliException.failed("cannot read the credentials file " + file.get() + ": " + e.getMessage());
        }
        return Optional.of(profile(lines, file.get()));
    }

    /** Profile {@code thunk} of an INI-style credentials file. */
    static Credentials profile(List<String> lines, Path file) {
        String section = "";
        String id = null;
        String secret = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
            } else if (section.equals(PROFILE) && line.contains("=") && !line.startsWith("#")) {
                String key = line.substring(0, line.indexOf('=')).strip();
                String value = line.substring(line.indexOf('=') + 1).strip();
                if (key.equals("aws_access_key_id")) {
                    id = value;
                } else if (key.equals("aws_secret_access_key")) {
                    secret = value;
                }
            }
        }
        if (id == null || secret == null) {
            throw CliException.failed("the credentials file " + file + " has no complete profile [" + PROFILE + "]");
        }
        return new Credentials(id, secret);
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
