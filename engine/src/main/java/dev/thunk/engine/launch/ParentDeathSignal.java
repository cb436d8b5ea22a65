package dev.thunk.engine.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Without bubblewrap: the runtime process is killed when the server dies (its own children are not). */
final class ParentDeathSignal implements Sandbox {
    private final Optional<String> setpriv;

    ParentDeathSignal(Optional<String> setpriv) {
        this.setpriv = setpriv;
    }

    @Override
    public List<String> wrap(LaunchSpec spec) {
        if (setpriv.isEmpty()) {
            return spec.command();
        }
        List<String> wrapped = new ArrayList<>(List.of(setpriv.get(), "--pdeathsig", "KILL", "--"));
        wrapped.addAll(spec.command());
        return wrapped;
    }

    @Override
    public String describe() {
        return setpriv.map(s -> "no bubblewrap: processes isolated by process only; runtime processes die with the "
                        + "server (" + s + " --pdeathsig), processes they start may not")
                .orElse("no bubblewrap and no setpriv: environments are isolated by process only and may outlive "
                        + "a killed server");
    }
}
