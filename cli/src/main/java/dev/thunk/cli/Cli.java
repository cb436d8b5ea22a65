package dev.thunk.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code thunk} command's client commands ({@code deploy}, {@code invoke}, {@code ls}, {@code rm},
 * {@code logs}), which talk to a Thunk server over its AWS Lambda API. The server's {@code Main} hands every
 * command it does not run itself to {@link #run} and exits with the code it returns; nothing here exits the
 * process. Failures are printed as one {@code thunk: ...} line on {@code err}.
 */
public final class Cli {
    private Cli() {
    }

    /**
     * Runs one command, its name first ({@code deploy ./app --name hello ...}). Reads the environment
     * ({@code THUNK_ENDPOINT}) and, for {@code invoke NAME -}, standard input.
     *
     * @return the process exit code: 0 on success, 1 when the command failed (including an AWS error or a
     *         function error), 2 when the command line is wrong
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, Session.of(out, err));
    }

    /** The client commands' help, for {@code thunk help}. */
    public static String usage() {
        return """
                  deploy <dir|jar|zip> --name N --runtime R --handler H [--memory MB] [--timeout S]
                           [--env K=V ...] [--role ARN]
                           create the function, or update its code and the options given; wait until Active
                           (--handler defaults to bootstrap for provided runtimes)
                  invoke <name> [payload|@file|-] [--log] [--stream]
                           invoke and print the response (payload defaults to {}); --log prints the log tail;
                           --stream prints the answer as the function streams it
                  ls       list functions: name, runtime, memory, state, last modified
                  rm <name>
                           delete a function
                  logs <name> [--follow] [--since 10m]
                           print a function's log (everything kept, unless --since)
                  every client command takes --endpoint URL (default $THUNK_ENDPOINT, else http://127.0.0.1:9000),
                  --credentials FILE (signs with its profile thunk; default $THUNK_CREDENTIALS, else
                  ~/.thunk/aws-credentials, which the server writes into its data directory) and --region R
                  (the server's region, for the signature; default $THUNK_REGION, else us-east-1)
                """;
    }

    static int run(List<String> args, Session session) {
        if (args.isEmpty()) {
            session.err().print("usage: thunk <command> [options]\n" + usage());
            return CliException.USAGE;
        }
        String command = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "deploy" -> {
                    Args parsed = Args.parse(command, rest, DeployCommand.OPTIONS, Set.of());
                    yield help(parsed, session) ? 0 : new DeployCommand(client(parsed, session), session).run(parsed);
                }
                case "invoke" -> {
                    Args parsed = Args.parse(command, rest, Set.of(), InvokeCommand.FLAGS);
                    yield help(parsed, session) ? 0 : new InvokeCommand(client(parsed, session), session).run(parsed);
                }
                case "ls" -> {
                    Args parsed = Args.parse(command, rest, Set.of(), Set.of());
                    yield help(parsed, session) ? 0 : new ListCommand(client(parsed, session), session).run(parsed);
                }
                case "rm" -> {
                    Args parsed = Args.parse(command, rest, Set.of(), Set.of());
                    yield help(parsed, session) ? 0 : new RemoveCommand(client(parsed, session), session).run(parsed);
                }
                case "logs" -> {
                    Args parsed = Args.parse(command, shortFollow(rest), LogsCommand.OPTIONS, LogsCommand.FLAGS);
                    yield help(parsed, session) ? 0 : new LogsCommand(client(parsed, session), session).run(parsed);
                }
                default -> {
                    session.err().print("thunk: unknown command '" + command + "'\nusage: thunk <command> [options]\n"
                            + usage());
                    yield CliException.USAGE;
                }
            };
        } catch (CliException e) {
            session.err().println("thunk: " + e.getMessage());
            if (e instanceof AwsError aws && aws.type().equals("MissingAuthenticationTokenException")) {
                session.err().println("thunk: the server wants signed requests and no credentials file was found: "
                        + "pass --credentials <data dir>/aws-credentials or set THUNK_CREDENTIALS");
            }
            return e.exitCode();
        } finally {
            session.out().flush();
            session.err().flush();
        }
    }

    private static ThunkClient client(Args args, Session session) {
        return new ThunkClient(session.endpoint(args), RequestSigner.of(args, session));
    }

    private static boolean help(Args args, Session session) {
        if (args.flag("help")) {
            session.out().print("usage: thunk <command> [options]\n" + usage());
        }
        return args.flag("help");
    }

    /** {@code logs -f} as in {@code tail -f}. */
    private static List<String> shortFollow(List<String> args) {
        List<String> out = new ArrayList<>(args);
        out.replaceAll(a -> a.equals("-f") ? "--follow" : a);
        return out;
    }
}
