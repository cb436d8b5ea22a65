package dev.thunk.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code thunk ls}: one line per function (name, runtime, memory, state, last modified) in aligned columns,
 * every page of ListFunctions followed through {@code NextMarker}.
 */
final class ListCommand {
    private final ThunkClient client;
    private final Session session;

    ListCommand(ThunkClient client, Session session) {
        this.client = client;
        this.session = session;
    }

    int run(Args args) {
        args.atMostPositionals(0);
        List<String[]> rows = new ArrayList<>();
        Optional<String> marker = Optional.empty();
        do {
            ThunkClient.Page page = client.list(marker);
            for (FunctionInfo f : page.functions()) {
                rows.add(new String[] {f.name(), f.runtime(), f.memorySize() + " MB", f.state().orElse("-"),
                        f.lastModified()});
            }
            if (page.nextMarker().isPresent() && page.nextMarker().equals(marker)) {
                throw CliException.failed("the server answered the same NextMarker twice: " + marker.orElse(""));
            }
            marker = page.nextMarker();
        } while (marker.isPresent());
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            session.out().println(line);
        }
        return 0;
    }
}
