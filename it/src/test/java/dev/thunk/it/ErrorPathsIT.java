package dev.thunk.it;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.thunk.it.Refusals.message;
import static dev.thunk.it.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error path of the control plane through the AWS SDK: the exact code, status and message, and proof that
 * a refused request changed nothing.
 */
class ErrorPathsIT extends SharedServerIT {



    private static void assertNoFunction(String name) {
        assertThrows(ResourceNotFoundException.class, () -> lambda.getFunction(b -> b.functionName(name)));
    }

    @Test
    void modelledRangesAreValidationErrorsListedTogether() {
        var e = refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad-ranges")
                .memorySize(64).timeout(901).ephemeralStorage(b -> b.size(100)).build()));
        assertEquals("3 validation errors detected: "
                + "Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900; "
                + "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128; "
                + "Value '100' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512",
                message(e));
        assertNoFunction("bad-ranges");

        refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad-mem").memorySize(10241).build()));
        refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad-timeout").timeout(0).build()));
        refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad-eph").ephemeralStorage(b -> b.size(10241)).build()));
        refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad-desc").description("x".repeat(257)).build()));
        refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad-handler").handler("has space").build()));
        refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad-role").role("not-a-role").build()));
        refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad-arch").architecturesWithStrings("x86_64", "arm64").build()));
        var noRole = refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("no-role").role(null).build()));
        assertEquals("1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null", message(noRole));
    }

    @Test
    void namesFollowAwsPatternsAndLengths() {
        var pattern = refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("bad name!").build()));
        assertTrue(message(pattern).startsWith("1 validation error detected: Value 'bad name!' at 'functionName' "
                + "failed to satisfy constraint: Member must satisfy regular expression pattern:"), message(pattern));

        String name65 = "n".repeat(65);
        var tooLong = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided(name65).build()));
        assertEquals("1 validation error detected: Value '" + name65 + "' at 'functionName' failed to satisfy constraint: "
                + "Member must have length less than or equal to 64", message(tooLong));
        refused("ResourceNotFoundException", 404, () -> lambda.getFunction(b -> b.functionName(name65)));
        refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("n".repeat(141)).build()));

        var otherRegion = refused("ResourceNotFoundException", 404, () -> lambda.getFunction(b -> b
                .functionName("arn:aws:lambda:eu-west-1:000000000000:function:x")));
        assertEquals("Functions from 'eu-west-1' are not reachable in this region ('us-east-1')", message(otherRegion));
        refused("ResourceNotFoundException", 404, () -> lambda.getFunction(b -> b
                .functionName("arn:aws:lambda:us-east-1:111111111111:function:x")));
        var qualifiers = refused("InvalidParameterValueException", 400, () -> lambda.getFunction(b -> b
                .functionName("x:1").qualifier("2")));
        assertEquals("The derived qualifier from the function name does not match the specified qualifier.", message(qualifiers));
    }

    @Test
    void runtimesOutsideTheEnumOrRetiredAreRefused() {
        var unknown = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("rt-unknown").runtime("cobol85").build()));
        assertTrue(message(unknown).startsWith("Value cobol85 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ["), message(unknown));
        var retired = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("rt-old").runtime("python2.7").handler("a.b").build()));
        assertEquals("The runtime parameter of python2.7 is no longer supported for creating or updating AWS Lambda functions. "
                + "We recommend you use a supported runtime while creating or updating functions.", message(retired));
        var noHandler = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("rt-nohandler").handler(null).build()));
        assertEquals("Runtime and Handler are mandatory parameters for functions created with deployment packages.", message(noHandler));
        assertNoFunction("rt-unknown");
    }

    @Test
    void environmentVariablesAreLimited() {
        Map<String, String> big = new HashMap<>();
        big.put("BIG", "v".repeat(4100));
        var tooBig = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("env-big")
                .environment(b -> b.variables(big)).build()));
        assertTrue(message(tooBig).startsWith("Lambda was unable to configure your environment variables because the "
                + "environment variables you have provided exceeded the 4KB limit. String measured: {\"BIG\":\"vvv"), message(tooBig));

        var reserved = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("env-reserved")
                .environment(b -> b.variables(Map.of("AWS_REGION", "x", "OK_NAME", "y"))).build()));
        assertTrue(message(reserved).endsWith("Reserved keys used in this request: AWS_REGION"), message(reserved));

        var badKey = refused("ValidationException", 400, () -> lambda.createFunction(Functions.provided("env-key")
                .environment(b -> b.variables(Map.of("1abc", "x"))).build()));
        assertEquals("1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys "
                + "must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]", message(badKey));
        assertNoFunction("env-big");
        assertNoFunction("env-reserved");
    }

    @Test
    void packagesMustBeUsableZips() throws Exception {
        var notZip = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("zip-bad")
                .code(FunctionCode.builder().zipFile(SdkBytes.fromUtf8String("this is not a zip")).build()).build()));
        assertEquals("Could not unzip uploaded file. Please check your file, then try to upload again.", message(notZip));

        var empty = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("zip-empty")
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(new byte[0])).build()).build()));
        assertEquals("Uploaded file must be a non-empty zip", message(empty));

        var noCode = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("zip-none")
                .code(FunctionCode.builder().build()).build()));
        assertEquals("Please provide a source for function code.", message(noCode));

        var s3 = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("zip-s3")
                .code(FunctionCode.builder().s3Bucket("b").s3Key("k").build()).build()));
        assertTrue(message(s3).contains("ZipFile"), message(s3));

        byte[] huge = zipOfZeros(262_144_000);
        var tooBig = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("zip-huge")
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(huge)).build()).build()));
        assertEquals("Unzipped size must be smaller than 262144000 bytes", message(tooBig));

        for (String name : List.of("zip-bad", "zip-empty", "zip-none", "zip-s3", "zip-huge")) {
            assertNoFunction(name);
        }
    }

    @Test
    void inlinePackagesOver50MiBAreTooLarge() {
        byte[] big = new byte[52_428_801];
        var e = refused("RequestEntityTooLargeException", 413, () -> lambda.createFunction(Functions.provided("zip-50mb")
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(big)).build()).build()));
        assertEquals("Zipped size must be smaller than 52428800 bytes", message(e));
        assertNoFunction("zip-50mb");
    }

    /**
     * A package that can no longer be read back from the data directory (here: damaged on disk, then uploaded again
     * for a second function, which reuses the stored copy) leaves that function Failed, and invoking a Failed
     * function is AWS's 409.
     */
    @Test
    void aFunctionWhosePackageCannotBeReadBackIsFailedAndRefusesInvocations() throws Exception {
        byte[] zip = dev.thunk.testkit.TestZip.create().executable("bootstrap", InvokeIT.PROVIDED_ECHO)
                .file("marker", "damaged-package-test").bytes();
        Functions.createActive(lambda, Functions.provided("stored-ok").code(b -> b.zipFile(SdkBytes.fromByteArray(zip)))
                .build());
        java.nio.file.Files.writeString(Layers.storedPackage(server, zip), "damaged");

        lambda.createFunction(Functions.provided("stored-damaged").code(b -> b.zipFile(SdkBytes.fromByteArray(zip))).build());
        var waiterFailure = assertThrows(software.amazon.awssdk.core.exception.SdkClientException.class,
                () -> lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("stored-damaged")));
        assertTrue(waiterFailure.getMessage().contains("Configuration.State=Failed"), waiterFailure.getMessage());
        var failed = lambda.getFunctionConfiguration(b -> b.functionName("stored-damaged"));
        assertEquals("InvalidZipFileException", failed.stateReasonCodeAsString());

        var e = refused("ResourceConflictException", 409, () -> lambda.invoke(b -> b.functionName("stored-damaged")));
        assertEquals("The operation cannot be performed at this time. The function is currently in the following "
                + "state: Failed", message(e));
    }

    @Test
    void existingNameConflicts() {
        Functions.createActive(lambda, Functions.provided("dup").description("original").build());
        var e = assertThrows(ResourceConflictException.class, () -> lambda.createFunction(Functions.provided("dup").description("second").build()));
        assertEquals(409, e.statusCode());
        assertEquals("Function already exist: dup", message(e));
        assertEquals("original", lambda.getFunctionConfiguration(b -> b.functionName("dup")).description());
    }

    @Test
    void staleRevisionIdIsAPreconditionFailure() {
        var created = Functions.createActive(lambda, Functions.provided("rev").build());
        String stale = created.revisionId();
        var e = assertThrows(PreconditionFailedException.class, () -> lambda.updateFunctionConfiguration(b -> b
                .functionName("rev").revisionId(stale).description("changed")));
        assertEquals(412, e.statusCode());
        assertEquals("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias "
                + "API to retrieve the latest Revision Id", message(e));
        assertThrows(PreconditionFailedException.class, () -> lambda.updateFunctionCode(b -> b.functionName("rev")
                .revisionId(stale).zipFile(SdkBytes.fromByteArray(Functions.helloZip()))));
        assertEquals("", lambda.getFunctionConfiguration(b -> b.functionName("rev")).description());

        String current = lambda.getFunctionConfiguration(b -> b.functionName("rev")).revisionId();
        lambda.updateFunctionConfiguration(b -> b.functionName("rev").revisionId(current).description("changed"));
    }

    @Test
    void updateWhileAnUpdateIsInProgressConflicts() {
        Functions.createActive(lambda, Functions.provided("busy").build());
        lambda.updateFunctionConfiguration(b -> b.functionName("busy").description("one"));
        // The first update settles in the background; a second one may arrive before it does. Either it is refused
        // with AWS's message, or it lands after the first: it is never half-applied.
        try {
            lambda.updateFunctionConfiguration(b -> b.functionName("busy").timeout(20));
            lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("busy"));
            assertEquals(20, lambda.getFunctionConfiguration(b -> b.functionName("busy")).timeout());
        } catch (ResourceConflictException e) {
            assertEquals("The operation cannot be performed at this time. An update is in progress for resource: "
                    + "arn:aws:lambda:us-east-1:000000000000:function:busy", message(e));
        }
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("busy"));
        assertEquals("one", lambda.getFunctionConfiguration(b -> b.functionName("busy")).description());
    }

    @Test
    void updatesOfMissingFunctionsAreNotFound() {
        refused("ResourceNotFoundException", 404, () -> lambda.updateFunctionConfiguration(b -> b.functionName("ghost").timeout(5)));
        refused("ResourceNotFoundException", 404, () -> lambda.updateFunctionCode(b -> b.functionName("ghost")
                .zipFile(SdkBytes.fromByteArray(Functions.helloZip()))));
        refused("ResourceNotFoundException", 404, () -> lambda.getFunction(b -> b.functionName("ghost").qualifier("7")));
        refused("ResourceNotFoundException", 404, () -> lambda.listTags(b -> b.resource("arn:aws:lambda:us-east-1:000000000000:function:ghost")));
        assertFalse(lambda.listFunctions().functions().stream().anyMatch(f -> f.functionName().equals("ghost")));
    }

    @Test
    void layersThatDoNotExistAreRefused() {
        var e = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(Functions.provided("with-layer")
                .layers("arn:aws:lambda:us-east-1:000000000000:layer:lib:1").build()));
        assertTrue(message(e).contains("does not exist"), message(e));
        assertNoFunction("with-layer");
    }

    static byte[] zipOfZeros(int size) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] chunk = new byte[1 << 20];
            for (int written = 0; written < size; written += chunk.length) {
                zip.write(chunk, 0, Math.min(chunk.length, size - written));
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
