package dev.thunk.engine.launch;

import java.util.List;

/**
 * Wraps an environment's command so that the process cannot outlive the server. With bubblewrap, the environment
 * gets its own PID namespace and dies with its parent: when the server dies, the kernel ends every process of the
 * environment. Without it, the runtime process itself gets a parent-death signal (its own children may survive a
 * killed server), and the server says so at start.
 */
public interface Sandbox {
    List<String> wrap(List<String> command);

    /** One line for the start-up report. */
    String describe();

    static Sandbox detect() {
        if (Executables.onPath("bwrap").isPresent()) {
            return new Bubblewrap(Executables.onPath("bwrap").get());
        }
        return new ParentDeathSignal(Executables.onPath("setpriv"));
    }
}
