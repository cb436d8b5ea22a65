package dev.thunk.engine.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs each environment in its own PID and IPC namespaces with bubblewrap, dying with the server. The file system
 * is the host's for now; the full read-only sandbox comes with the security work.
 */
final class Bubblewrap implements Sandbox {
    private final String bwrap;

    Bubblewrap(String bwrap) {
        this.bwrap = bwrap;
    }

    @Override
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of(bwrap,
                "--dev-bind", "/", "/",
                "--proc", "/proc",
                "--unshare-pid", "--unshare-ipc",
                "--die-with-parent",
                "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    @Override
    public String describe() {
        return "bubblewrap (" + bwrap + "): own PID and IPC namespaces, every environment process dies with the server";
    }
}
