package dev.thunk.it;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.State;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A restarted server has everything the previous one had. */
class RestartIT {

    @Test
    void functionsConfigurationTagsAndCodeSurviveARestart() {
        try (TestServer server = TestServer.start()) {
            GetFunctionResponse before;
            try (LambdaClient lambda = server.lambda()) {
                Functions.createActive(lambda, Functions.provided("keep").memorySize(1024).timeout(42)
                        .environment(b -> b.variables(Map.of("KEY_ONE", "1", "KEY_TWO", "2")))
                        .tags(Map.of("owner", "me")).build());
                lambda.createFunction(Functions.provided("gone").build());
                lambda.deleteFunction(b -> b.functionName("gone"));
                before = lambda.getFunction(b -> b.functionName("keep"));
            }

            server.restart();

            try (LambdaClient lambda = server.lambda()) {
                GetFunctionResponse after = lambda.getFunction(b -> b.functionName("keep"));
                assertEquals(before.configuration(), after.configuration());
                assertEquals(Map.of("owner", "me"), after.tags());
                assertEquals(State.ACTIVE, after.configuration().state());
                assertEquals(1, lambda.listFunctions().functions().size(), "the deleted function stays deleted");
                assertEquals(before.configuration().codeSize(),
                        lambda.getAccountSettings(b -> { }).accountUsage().totalCodeSize());
            }
        }
    }
}
