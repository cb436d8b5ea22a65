package dev.thunk.engine.launch;

import java.nio.file.Path;

/**
 * Where Thunk's own runtime clients are on this machine: the Python and Node.js scripts, and the class path of the
 * Java runtime client (its jar and its two dependencies).
 */
public record RuntimeClients(Path pythonClient, Path nodeClient, String javaClassPath) {
}
