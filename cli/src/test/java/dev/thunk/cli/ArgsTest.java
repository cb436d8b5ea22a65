package dev.thunk.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    private static Args parse(String... args) {
        return Args.parse("deploy", List.of(args), DeployCommand.OPTIONS, Set.of("log"));
    }

    @Test
    void splitsPositionalsOptionsAndFlags() {
        Args args = parse("./app", "--name", "hello", "--runtime=python3.12", "--log", "--env", "A=1",
                "--env=B=x=y", "-");
        assertEquals(List.of("./app", "-"), args.positionals());
        assertEquals(Optional.of("hello"), args.value("name"));
        assertEquals(Optional.of("python3.12"), args.value("runtime"));
        assertEquals(List.of("A=1", "B=x=y"), args.values("env"));
        assertTrue(args.flag("log"));
        assertFalse(args.flag("help"));
    }

    @Test
    void lastValueWinsAndDoubleDashEndsOptions() {
        Args args = parse("--name", "a", "--name", "b", "--", "--not-an-option");
        assertEquals(Optional.of("b"), args.value("name"));
        assertEquals(List.of("--not-an-option"), args.positionals());
    }

    @Test
    void globalOptionsAreAcceptedEverywhere() {
        Args args = parse("-h", "--endpoint", "http://x:1");
        assertTrue(args.flag("help"));
        assertEquals(Optional.of("http://x:1"), args.value("endpoint"));
    }

    @Test
    void rejectsWhatMakesNoSense() {
        assertUsage("unknown option --nope for 'deploy' (thunk deploy --help lists its options)", "--nope");
        assertUsage("option --name needs a value", "--name");
        assertUsage("option --log takes no value", "--log=yes");
        assertUsage("--memory must be a whole number, not 'lots'", () -> parse("--memory", "lots").intValue("memory"));
        assertUsage("'deploy' needs --name", () -> parse().required("name"));
        assertUsage("'deploy' needs a directory", () -> parse().positional(0, "a directory"));
        assertUsage("unexpected argument 'b' for 'deploy'", () -> parse("a", "b").atMostPositionals(1));
    }

    @Test
    void endpointComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        Session withEnv = new Session(Map.of("THUNK_ENDPOINT", "http://env:1/"), null, null, null, null, null, null);
        Session without = new Session(Map.of(), null, null, null, null, null, null);
        assertEquals("http://opt:2", withEnv.endpoint(parse("--endpoint", "http://opt:2")));
        assertEquals("http://env:1", withEnv.endpoint(parse()));
        assertEquals("http://127.0.0.1:9000", without.endpoint(parse()));
    }

    private static void assertUsage(String message, String... args) {
        assertUsage(message, () -> parse(args));
    }

    private static void assertUsage(String message, Runnable action) {
        CliException e = assertThrows(CliException.class, action::run);
        assertEquals(message, e.getMessage());
        assertEquals(CliException.USAGE, e.exitCode());
    }
}
