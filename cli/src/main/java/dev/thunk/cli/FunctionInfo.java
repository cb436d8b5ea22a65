package dev.thunk.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** The fields of AWS's {@code FunctionConfiguration} the commands look at. */
record FunctionInfo(String name, String arn, String runtime, String handler, int memorySize, int timeout,
                    String lastModified, String codeSha256, Optional<String> state, Optional<String> stateReason,
                    Optional<String> lastUpdateStatus, Optional<String> lastUpdateReason) {

    static FunctionInfo from(JsonNode c) {
        return new FunctionInfo(c.path("FunctionName").asText(), c.path("FunctionArn").asText(),
                c.path("Runtime").asText(), c.path("Handler").asText(), c.path("MemorySize").asInt(),
                c.path("Timeout").asInt(), c.path("LastModified").asText(), c.path("CodeSha256").asText(),
                text(c, "State"), text(c, "StateReason"), text(c, "LastUpdateStatus"),
                text(c, "LastUpdateStatusReason"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    boolean updating() {
        return lastUpdateStatus.filter("InProgress"::equals).isPresent();
    }

    boolean pending() {
        return state.filter("Pending"::equals).isPresent();
    }

    /** Active (or a server that reports no state) and no update unfinished or failed. */
    boolean ready() {
        return state.orElse("Active").equals("Active") && lastUpdateStatus.orElse("Successful").equals("Successful");
    }

    String describeStatus() {
        return "State " + state.orElse("-") + ", LastUpdateStatus " + lastUpdateStatus.orElse("-");
    }
}
