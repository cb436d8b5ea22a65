package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

    private static Map<String, String> env(String api) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", api);
        env.put("_HANDLER", "example.H::handle");
        env.put("LAMBDA_TASK_ROOT", "/var/task");
        return env;
    }

    @Test
    void readsHostPortAndDefaults() {
        RuntimeConfig config = RuntimeConfig.fromEnvironment(env("127.0.0.1:9001"), null);
        assertEquals("127.0.0.1", config.apiHost());
        assertEquals(9001, config.apiPort());
        assertEquals("example.H::handle", config.handler());
        assertEquals("/opt", config.optRoot());
        assertEquals(128, config.memoryMb());
        assertNull(config.functionName());
    }

    @Test
    void acceptsBracketedIpv6AndAHandlerArgument() {
        RuntimeConfig config = RuntimeConfig.fromEnvironment(env("[::1]:80"), "other.Handler");
        assertEquals("::1", config.apiHost());
        assertEquals(80, config.apiPort());
        assertEquals("other.Handler", config.handler());
    }

    @Test
    void rejectsAnAddressWithoutPort() {
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.fromEnvironment(env("localhost"), null));
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.fromEnvironment(env("localhost:x"), null));
    }

    @Test
    void requiresAHandler() {
        Map<String, String> env = env("h:1");
        env.remove("_HANDLER");
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.fromEnvironment(env, null));
    }
}
