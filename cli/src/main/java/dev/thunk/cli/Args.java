package dev.thunk.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's arguments split into positionals, options with a value ({@code --name N} or {@code --name=N}, any of
 * them repeatable: the last one wins unless read with {@link #values}) and flags ({@code --follow}). {@code --}
 * ends the options; a lone {@code -} is a positional (stdin). Unknown options are usage errors. Immutable.
 */
final class Args {
    /** Options every command accepts. */
    static final Set<String> GLOBAL_VALUED = Set.of("endpoint", "credentials", "region");
    static final Set<String> GLOBAL_FLAGS = Set.of("help");

    private final String command;
    private final List<String> positionals;
    private final Map<String, List<String>> values;
    private final Set<String> flags;

    private Args(String command, List<String> positionals, Map<String, List<String>> values, Set<String> flags) {
        this.command = command;
        this.positionals = List.copyOf(positionals);
        this.values = values;
        this.flags = Set.copyOf(flags);
    }

    /**
     * @param valued the names (without dashes) of the options that take a value, besides {@link #GLOBAL_VALUED}
     * @param flags  the names of the options that take none, besides {@link #GLOBAL_FLAGS}
     */
    static Args parse(String command, List<String> args, Set<String> valued, Set<String> flags) {
        List<String> positionals = new ArrayList<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        Set<String> seenFlags = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.equals("-h")) {
                seenFlags.add("help");
                continue;
            }
            if (!arg.startsWith("--")) {
                positionals.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            if (valued.contains(name) || GLOBAL_VALUED.contains(name)) {
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw CliException.usage("option --" + name + " needs a value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (flags.contains(name) || GLOBAL_FLAGS.contains(name)) {
                if (equals >= 0) {
                    throw CliException.usage("option --" + name + " takes no value");
                }
                seenFlags.add(name);
            } else {
                throw CliException.usage("unknown option --" + name + " for '" + command
                        + "' (thunk " + command + " --help lists its options)");
            }
        }
        return new Args(command, positionals, values, seenFlags);
    }

    List<String> positionals() {
        return positionals;
    }

    /** The positional at {@code index}, or a usage error naming it. */
    String positional(int index, String what) {
        if (index >= positionals.size()) {
            throw CliException.usage("'" + command + "' needs " + what);
        }
        return positionals.get(index);
    }

    /** Fails when more than {@code max} positionals were given. */
    Args atMostPositionals(int max) {
        if (positionals.size() > max) {
            throw CliException.usage("unexpected argument '" + positionals.get(max) + "' for '" + command + "'");
        }
        return this;
    }

    Optional<String> value(String name) {
        List<String> all = values.getOrDefault(name, List.of());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    String required(String name) {
        return value(name).orElseThrow(() -> CliException.usage("'" + command + "' needs --" + name));
    }

    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    Optional<Integer> intValue(String name) {
        return value(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw CliException.usage("--" + name + " must be a whole number, not '" + v + "'");
            }
        });
    }

    boolean flag(String name) {
        return flags.contains(name);
    }
}
