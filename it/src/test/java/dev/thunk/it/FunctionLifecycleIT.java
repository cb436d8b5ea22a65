package dev.thunk.it;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeResponse;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationResponse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The life of one function through the AWS SDK: create, read, update code and configuration, delete. */
class FunctionLifecycleIT extends SharedServerIT {


    @Test
    void createReturnsPendingThenBecomesActive() throws Exception {
        byte[] zip = Functions.helloZip();
        CreateFunctionResponse created = lambda.createFunction(Functions.provided("life-create")
                .description("first").memorySize(256).timeout(10)
                .environment(Environment.builder().variables(Map.of("GREETING", "hi")).build())
                .ephemeralStorage(b -> b.size(1024))
                .code(b -> b.zipFile(SdkBytes.fromByteArray(zip))).build());

        assertEquals(State.PENDING, created.state());
        assertEquals("Creating", created.stateReasonCodeAsString());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:life-create", created.functionArn());
        assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(zip)),
                created.codeSha256());
        assertEquals(zip.length, created.codeSize());
        assertEquals("$LATEST", created.version());
        assertEquals(256, created.memorySize());
        assertEquals(10, created.timeout());
        assertEquals(1024, created.ephemeralStorage().size());
        assertEquals("hi", created.environment().variables().get("GREETING"));
        assertEquals("first", created.description());
        assertEquals("Zip", created.packageTypeAsString());
        assertEquals("x86_64", created.architecturesAsStrings().get(0));
        assertTrue(created.lastModified().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000"),
                created.lastModified());

        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("life-create"));
        GetFunctionResponse got = lambda.getFunction(b -> b.functionName("life-create"));
        assertEquals(State.ACTIVE, got.configuration().state());
        assertEquals(LastUpdateStatus.SUCCESSFUL, got.configuration().lastUpdateStatus());
        assertNotEquals(created.revisionId(), got.configuration().revisionId(), "activation is a new revision");
        assertEquals("S3", got.code().repositoryType());

        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(got.code().location())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(zip, download.body(), "Code.Location serves the package that was uploaded");
    }

    @Test
    void nameAndPartialAndFullArnAllFindTheFunction() {
        Functions.createActive(lambda, Functions.provided("life-names").build());
        for (String ref : new String[]{"life-names", "000000000000:function:life-names",
                "arn:aws:lambda:us-east-1:000000000000:function:life-names",
                "arn:aws:lambda:us-east-1:000000000000:function:life-names:$LATEST"}) {
            var c = lambda.getFunctionConfiguration(b -> b.functionName(ref));
            assertEquals("life-names", c.functionName(), ref);
        }
    }

    @Test
    void updateCodeGoesInProgressThenSuccessful() {
        Functions.createActive(lambda, Functions.provided("life-code").build());
        byte[] newZip = Functions.bootstrapZip("#!/bin/sh\necho changed\n");
        UpdateFunctionCodeResponse updated = lambda.updateFunctionCode(b -> b.functionName("life-code")
                .zipFile(SdkBytes.fromByteArray(newZip)));
        assertEquals(LastUpdateStatus.IN_PROGRESS, updated.lastUpdateStatus());
        assertEquals(newZip.length, updated.codeSize());

        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("life-code"));
        var after = lambda.getFunctionConfiguration(b -> b.functionName("life-code"));
        assertEquals(LastUpdateStatus.SUCCESSFUL, after.lastUpdateStatus());
        assertEquals(State.ACTIVE, after.state());
        assertEquals(updated.codeSha256(), after.codeSha256());
    }

    @Test
    void updateConfigurationChangesOnlyWhatItNames() {
        Functions.createActive(lambda, Functions.provided("life-config").memorySize(512)
                .environment(b -> b.variables(Map.of("AA", "1"))).build());
        UpdateFunctionConfigurationResponse updated = lambda.updateFunctionConfiguration(b -> b
                .functionName("life-config").timeout(30).description("new"));
        assertEquals(LastUpdateStatus.IN_PROGRESS, updated.lastUpdateStatus());
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("life-config"));

        var after = lambda.getFunctionConfiguration(b -> b.functionName("life-config"));
        assertEquals(30, after.timeout());
        assertEquals("new", after.description());
        assertEquals(512, after.memorySize(), "memory was not named, so it stays");
        assertEquals(Map.of("AA", "1"), after.environment().variables());

        lambda.updateFunctionConfiguration(b -> b.functionName("life-config")
                .environment(e -> e.variables(Map.of("BB", "2"))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("life-config"));
        assertEquals(Map.of("BB", "2"), lambda.getFunctionConfiguration(b -> b.functionName("life-config"))
                .environment().variables(), "environment variables are replaced as a whole");
    }

    @Test
    void deleteRemovesTheFunction() {
        Functions.createActive(lambda, Functions.provided("life-delete").build());
        lambda.deleteFunction(b -> b.functionName("life-delete"));
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> lambda.getFunction(b -> b.functionName("life-delete")));
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:life-delete",
                e.awsErrorDetails().errorMessage());
        assertEquals(404, e.statusCode());
        assertThrows(ResourceNotFoundException.class, () -> lambda.deleteFunction(b -> b.functionName("life-delete")));
    }

    @Test
    void accountSettingsCountFunctionsAndCode() {
        var before = lambda.getAccountSettings(b -> { });
        Functions.createActive(lambda, Functions.provided("life-account").build());
        var after = lambda.getAccountSettings(b -> { });
        assertEquals(before.accountUsage().functionCount() + 1, after.accountUsage().functionCount());
        assertEquals(before.accountUsage().totalCodeSize() + Functions.helloZip().length,
                after.accountUsage().totalCodeSize());
        assertEquals(1000, after.accountLimit().concurrentExecutions());
        assertEquals(262144000L, after.accountLimit().codeSizeUnzipped());
        assertEquals(52428800L, after.accountLimit().codeSizeZipped());
    }
}
