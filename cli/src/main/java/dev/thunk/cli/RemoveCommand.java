package dev.thunk.cli;

/** {@code thunk rm <name>}: DeleteFunction. */
final class RemoveCommand {
    private final ThunkClient client;
    private final Session session;

    RemoveCommand(ThunkClient client, Session session) {
        this.client = client;
        this.session = session;
    }

    int run(Args args) {
        args.atMostPositionals(1);
        String name = args.positional(0, "a function name");
        client.delete(name);
        session.out().println("deleted " + name);
        return 0;
    }
}
