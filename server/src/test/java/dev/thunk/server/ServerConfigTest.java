package dev.thunk.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServerConfigTest {

    @Test
    void stemCellsAndBubblewrapAreOnByDefault() {
        assertEquals(new ServerConfig.LaunchOptions(true, true), ServerConfig.parse(List.of()).launch());
    }

    @Test
    void stemCellsAndTheSandboxCanBeTurnedOff() {
        assertEquals(new ServerConfig.LaunchOptions(false, false),
                ServerConfig.parse(List.of("--no-stem-cells", "--sandbox", "none")).launch());
        assertEquals(new ServerConfig.LaunchOptions(true, true),
                ServerConfig.parse(List.of("--sandbox", "auto")).launch());
    }

    @Test
    void anUnknownSandboxIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.parse(List.of("--sandbox", "docker")));
        assertEquals("--sandbox takes auto or none: docker", e.getMessage());
    }
}
