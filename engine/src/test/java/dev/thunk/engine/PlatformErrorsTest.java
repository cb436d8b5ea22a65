package dev.thunk.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thunk.engine.runtimeapi.Answer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlatformErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AWKWARD = "cannot start \"bootstrap\": C:\\path\nsecond line\ttab \u0001";

    @Test
    void payloadsStayJsonWhateverTheMessageHolds() throws Exception {
        JsonNode payload = JSON.readTree(PlatformErrors.payload("Runtime.InvalidEntrypoint", AWKWARD));
        assertEquals("Runtime.InvalidEntrypoint", payload.get("errorType").asText());
        assertEquals(AWKWARD, payload.get("errorMessage").asText());

        JsonNode answer = JSON.readTree(Answer.error(403, "InvalidStateTransition", AWKWARD).body());
        assertEquals(AWKWARD, answer.get("errorMessage").asText());
        assertEquals("InvalidStateTransition", answer.get("errorType").asText());
    }

    @Test
    void errorTypesAreNormalisedAsAwsDoes() {
        assertEquals("Runtime.ExitError", PlatformErrors.normalise("Runtime.ExitError"));
        assertEquals("Function.Unknown", PlatformErrors.normalise("Function.lower"));
        assertEquals("Runtime.Unknown", PlatformErrors.normalise("ValueError"));
    }

    @Test
    void theLogShowsAPlatformErrorsMessageThenItsType() {
        assertEquals("RequestId: r1 Error: Runtime exited with error: exit status 3\nRuntime.ExitError\n",
                PlatformErrors.logLines("Runtime.ExitError", PlatformErrors.exited("r1", 3)));
        assertEquals("not json\nRuntime.Unknown\n", PlatformErrors.logLines("Runtime.Unknown",
                "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "a runtime's own report, as it came");
        assertEquals("2026-01-02T03:04:05.000Z r1 Task timed out after 3.00 seconds\n",
                PlatformErrors.timedOutLogLine("r1", 3, java.time.Instant.parse("2026-01-02T03:04:05Z")));
    }
}
