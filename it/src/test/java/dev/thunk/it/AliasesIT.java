package dev.thunk.it;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateAliasResponse;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Aliases: pointers to versions, with a weighted split between two of them. */
class AliasesIT {
    private static byte[] answering(String answer) {
        return Packages.python("def handler(event, context):\n    return '" + answer + "'\n");
    }

    @Test
    void aliasesRouteToVersionsAndSplitByWeight() {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            Functions.createActive(lambda, Invocations.function("aliased", "python3.12", "app.handler",
                    answering("one")).build());
            lambda.publishVersion(b -> b.functionName("aliased"));
            lambda.updateFunctionCode(b -> b.functionName("aliased").zipFile(SdkBytes.fromByteArray(answering("two"))));
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("aliased"));
            lambda.publishVersion(b -> b.functionName("aliased"));

            CreateAliasResponse prod = lambda.createAlias(b -> b.functionName("aliased").name("prod")
                    .functionVersion("1").description("live"));
            assertEquals("arn:aws:lambda:us-east-1:000000000000:function:aliased:prod", prod.aliasArn());
            assertEquals("1", prod.functionVersion());
            InvokeResponse viaAlias = lambda.invoke(b -> b.functionName("aliased").qualifier("prod"));
            assertEquals("\"one\"", viaAlias.payload().asUtf8String());
            assertEquals("1", viaAlias.executedVersion());
            assertEquals("1", lambda.getFunctionConfiguration(b -> b.functionName("aliased:prod")).version());

            assertThrows(ResourceConflictException.class, () -> lambda.createAlias(b -> b.functionName("aliased")
                    .name("prod").functionVersion("2")));
            assertThrows(ResourceNotFoundException.class, () -> lambda.createAlias(b -> b.functionName("aliased")
                    .name("ghost").functionVersion("7")));
            AwsServiceException badWeight = assertThrows(AwsServiceException.class, () -> lambda.updateAlias(b -> b
                    .functionName("aliased").name("prod").routingConfig(r -> r.additionalVersionWeights(Map.of("2", 1.5)))));
            assertEquals("ValidationException", badWeight.awsErrorDetails().errorCode());
            AwsServiceException digits = assertThrows(AwsServiceException.class, () -> lambda.createAlias(b -> b
                    .functionName("aliased").name("123").functionVersion("1")));
            assertEquals("ValidationException", digits.awsErrorDetails().errorCode());
            ResourceConflictException inUse = assertThrows(ResourceConflictException.class,
                    () -> lambda.deleteFunction(b -> b.functionName("aliased").qualifier("1")));
            assertTrue(inUse.awsErrorDetails().errorMessage().contains("prod"), inUse.awsErrorDetails().errorMessage());

            lambda.updateAlias(b -> b.functionName("aliased").name("prod")
                    .routingConfig(r -> r.additionalVersionWeights(Map.of("2", 0.1))));
            int toTwo = 0;
            int total = 2000;
            for (int i = 0; i < total; i++) {
                InvokeResponse r = lambda.invoke(b -> b.functionName("aliased:prod"));
                String expected = r.executedVersion().equals("2") ? "\"two\"" : "\"one\"";
                assertEquals(expected, r.payload().asUtf8String(), "the executed version is the one that ran");
                toTwo += r.executedVersion().equals("2") ? 1 : 0;
            }
            // Binomial(2000, 0.1): mean 200, standard deviation 13.4; six deviations either side.
            assertTrue(toTwo > 200 - 81 && toTwo < 200 + 81, "version 2 ran " + toTwo + " times of " + total);

            var read = lambda.getAlias(b -> b.functionName("aliased").name("prod"));
            assertEquals(Map.of("2", 0.1), read.routingConfig().additionalVersionWeights());
            assertEquals(List.of("prod"), lambda.listAliases(b -> b.functionName("aliased")).aliases().stream()
                    .map(AliasConfiguration::name).toList());
            assertEquals(List.of("prod"), lambda.listAliases(b -> b.functionName("aliased").functionVersion("2"))
                    .aliases().stream().map(AliasConfiguration::name).toList());

            lambda.deleteAlias(b -> b.functionName("aliased").name("prod"));
            assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(b -> b.functionName("aliased:prod")));
            assertThrows(ResourceNotFoundException.class, () -> lambda.getAlias(b -> b.functionName("aliased").name("prod")));
            lambda.deleteFunction(b -> b.functionName("aliased").qualifier("1"));
        }
    }
}
