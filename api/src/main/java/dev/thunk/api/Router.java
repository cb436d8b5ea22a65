package dev.thunk.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/** Finds the route of a request by method and raw path. Immutable after construction, so thread-safe. */
final class Router {
    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** A matched route and its decoded path parameters. */
    record Match(Route route, List<String> params) {
    }

    Optional<Match> match(String method, String rawPath) {
        for (Route route : routes) {
            if (!route.method().equals(method)) {
                continue;
            }
            Matcher m = route.path().matcher(rawPath);
            if (m.matches()) {
                List<String> params = new ArrayList<>(m.groupCount());
                for (int i = 1; i <= m.groupCount(); i++) {
                    params.add(PercentDecoding.decode(m.group(i)));
                }
                return Optional.of(new Match(route, params));
            }
        }
        return Optional.empty();
    }
}
