package dev.thunk.it;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.LayerVersionsListItem;
import software.amazon.awssdk.services.lambda.model.LayersListItem;
import software.amazon.awssdk.services.lambda.model.PublishLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.thunk.it.Refusals.message;
import static dev.thunk.it.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer API through the AWS SDK: exact fields, numbering, filters, paging, errors, storage and restarts. */
class LayersIT extends SharedServerIT {
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:layer:";

    @Test
    void publishedVersionsAreReadListedAndDeletedWithAwsFields() throws Exception {
        byte[] zip = Layers.file("python/one.py", "ONE = 1\n");
        PublishLayerVersionResponse v1 = lambda.publishLayerVersion(b -> b.layerName("api-layer")
                .description("first").compatibleRuntimesWithStrings("python3.12", "nodejs22.x")
                .compatibleArchitecturesWithStrings("x86_64").licenseInfo("MIT")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        assertEquals(ARN + "api-layer", v1.layerArn());
        assertEquals(ARN + "api-layer:1", v1.layerVersionArn());
        assertEquals(1L, v1.version());
        assertEquals("first", v1.description());
        assertEquals(List.of("python3.12", "nodejs22.x"), v1.compatibleRuntimesAsStrings());
        assertEquals(List.of("x86_64"), v1.compatibleArchitecturesAsStrings());
        assertEquals("MIT", v1.licenseInfo());
        assertEquals(Layers.sha256(zip), v1.content().codeSha256());
        assertEquals(zip.length, v1.content().codeSize());
        assertTrue(v1.createdDate().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000"), v1.createdDate());
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(v1.content().location())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(zip, download.body(), "Content.Location serves the layer's package");

        PublishLayerVersionResponse v2 = Layers.publish(lambda, "api-layer", Layers.file("python/two.py", "TWO = 2\n"));
        assertEquals(2L, v2.version());
        assertEquals("", v2.description());
        assertEquals(List.of(), v2.compatibleRuntimesAsStrings());

        GetLayerVersionResponse got = lambda.getLayerVersion(b -> b.layerName("api-layer").versionNumber(1L));
        assertEquals(v1.layerVersionArn(), got.layerVersionArn());
        assertEquals(unsigned(v1.content()), unsigned(got.content()));
        assertEquals(v1.createdDate(), got.createdDate());
        assertEquals(v1.licenseInfo(), got.licenseInfo());
        assertEquals(v1.compatibleRuntimes(), got.compatibleRuntimes());
        assertEquals(unsigned(got.content()), unsigned(lambda.getLayerVersion(b -> b.layerName(ARN + "api-layer")
                .versionNumber(1L)).content()), "the layer's ARN names it too");
        assertEquals(unsigned(got.content()), unsigned(lambda.getLayerVersionByArn(b -> b.arn(ARN + "api-layer:1"))
                .content()));

        assertEquals(List.of(2L, 1L), versions("api-layer"), "newest first");
        lambda.deleteLayerVersion(b -> b.layerName("api-layer").versionNumber(2L));
        lambda.deleteLayerVersion(b -> b.layerName("api-layer").versionNumber(2L));
        lambda.deleteLayerVersion(b -> b.layerName("api-layer").versionNumber(99L));
        assertEquals(List.of(1L), versions("api-layer"), "deleting is idempotent, as in AWS");
        ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class,
                () -> lambda.getLayerVersion(b -> b.layerName("api-layer").versionNumber(2L)));
        assertEquals("The resource you requested does not exist.", gone.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> lambda.getLayerVersionByArn(b -> b.arn(ARN + "api-layer:2")));
        assertThrows(ResourceNotFoundException.class,
                () -> lambda.getLayerVersion(b -> b.layerName("no-such-layer").versionNumber(1L)));

        assertEquals(3L, Layers.publish(lambda, "api-layer", zip).version(), "a deleted number is never reused");
        lambda.deleteLayerVersion(b -> b.layerName("api-layer").versionNumber(1L));
        lambda.deleteLayerVersion(b -> b.layerName("api-layer").versionNumber(3L));
        assertEquals(List.of(), versions("api-layer"));
        assertEquals(4L, Layers.publish(lambda, "api-layer", zip).version(), "not even once every version is gone");
    }

    @Test
    void listsFilterByRuntimeAndArchitectureAndPage() {
        byte[] zip = Layers.file("lib/x", "x");
        lambda.publishLayerVersion(b -> b.layerName("flt-a").compatibleRuntimesWithStrings("python3.12")
                .compatibleArchitecturesWithStrings("x86_64").content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        lambda.publishLayerVersion(b -> b.layerName("flt-b").compatibleRuntimesWithStrings("nodejs22.x")
                .compatibleArchitecturesWithStrings("arm64").content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        lambda.publishLayerVersion(b -> b.layerName("flt-b").compatibleRuntimesWithStrings("python3.12", "java21")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));

        assertEquals(List.of("flt-a:1", "flt-b:2"), latest(lambda.listLayers(b -> b.compatibleRuntime("python3.12"))
                .layers()));
        assertEquals(List.of("flt-b:1"), latest(lambda.listLayers(b -> b.compatibleRuntime("nodejs22.x")).layers()));
        assertEquals(List.of("flt-b:1"), latest(lambda.listLayers(b -> b.compatibleArchitecture("arm64")).layers()));
        assertEquals(List.of("flt-a:1", "flt-b:2"), latest(lambda.listLayers().layers()));
        LayersListItem item = lambda.listLayers().layers().stream().filter(l -> l.layerName().equals("flt-a"))
                .findFirst().orElseThrow();
        assertEquals(ARN + "flt-a", item.layerArn());
        assertEquals(ARN + "flt-a:1", item.latestMatchingVersion().layerVersionArn());
        assertEquals(List.of("x86_64"), item.latestMatchingVersion().compatibleArchitecturesAsStrings());
        assertEquals(latest(lambda.listLayers().layers()),
                latest(lambda.listLayersPaginator(b -> b.maxItems(1)).layers().stream().toList()),
                "paging one at a time sees the same layers");

        for (int i = 0; i < 3; i++) {
            Layers.publish(lambda, "flt-b", zip);
        }
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), lambda.listLayerVersionsPaginator(b -> b.layerName("flt-b")
                .maxItems(2)).layerVersions().stream().map(LayerVersionsListItem::version).toList());
        assertEquals(List.of(2L), lambda.listLayerVersions(b -> b.layerName(ARN + "flt-b").compatibleRuntime("java21"))
                .layerVersions().stream().map(LayerVersionsListItem::version).toList());
        assertEquals(List.of(), lambda.listLayerVersions(b -> b.layerName("never-published")).layerVersions());
    }

    @Test
    void badRequestsGetAwsErrors() {
        byte[] zip = Layers.file("lib/x", "x");
        AwsServiceException badName = refused("ValidationException", 400, () -> Layers.publish(lambda, "bad name!", zip));
        assertTrue(message(badName).contains("at 'layerName' failed to satisfy constraint"), message(badName));
        AwsServiceException badRuntime = refused("ValidationException", 400, () -> lambda.publishLayerVersion(b -> b
                .layerName("bad-runtime").compatibleRuntimesWithStrings("python9")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip)))));
        assertTrue(message(badRuntime).startsWith("1 validation error detected: Value '[python9]' at "
                + "'compatibleRuntimes' failed to satisfy constraint: Member must satisfy constraint: "
                + "[Member must satisfy enum value set: ["), message(badRuntime));
        refused("ValidationException", 400, () -> lambda.publishLayerVersion(b -> b.layerName("many-runtimes")
                .compatibleRuntimesWithStrings(Collections.nCopies(16, "python3.12"))
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip)))));
        refused("ValidationException", 400, () -> lambda.publishLayerVersion(b -> b.layerName("bad-arch")
                .compatibleArchitecturesWithStrings("sparc").content(c -> c.zipFile(SdkBytes.fromByteArray(zip)))));
        AwsServiceException noContent = refused("ValidationException", 400,
                () -> lambda.publishLayerVersion(b -> b.layerName("no-content")));
        assertEquals("1 validation error detected: Value null at 'content' failed to satisfy constraint: "
                + "Member must not be null", message(noContent));
        AwsServiceException s3 = refused("InvalidParameterValueException", 400, () -> lambda.publishLayerVersion(b -> b
                .layerName("from-s3").content(c -> c.s3Bucket("bucket").s3Key("key"))));
        assertTrue(message(s3).contains("S3"), message(s3));
        refused("InvalidParameterValueException", 400, () -> Layers.publish(lambda, "not-a-zip", new byte[]{1, 2, 3}));
        refused("ValidationException", 400, () -> lambda.listLayers(b -> b.compatibleRuntime("cobol")));
        refused("ValidationException", 400, () -> lambda.listLayers(b -> b.maxItems(51)));
        refused("ValidationException", 400, () -> lambda.getLayerVersionByArn(b -> b.arn("arn:aws:lambda:nope")));
        assertEquals(List.of(), versions("bad-runtime"), "nothing was published by a refused request");
    }

    @Test
    void functionsNameUpToFiveExistingLayerVersionsInOrderAndVersionsKeepTheirs() {
        byte[] first = Layers.file("a.txt", "a");
        byte[] second = Layers.file("b.txt", "bb");
        String a = Layers.publish(lambda, "fn-a", first).layerVersionArn();
        String b = Layers.publish(lambda, "fn-b", second).layerVersionArn();
        List<Layer> expected = List.of(Layer.builder().arn(b).codeSize((long) second.length).build(),
                Layer.builder().arn(a).codeSize((long) first.length).build());
        assertEquals(expected, Functions.createActive(lambda, Functions.provided("layered").layers(b, a).build())
                .layers(), "order is kept");
        assertEquals(expected, lambda.getFunction(r -> r.functionName("layered")).configuration().layers());
        lambda.publishVersion(r -> r.functionName("layered"));

        lambda.updateFunctionConfiguration(r -> r.functionName("layered").layers(a));
        lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName("layered"));
        assertEquals(List.of(a), arns(lambda.getFunctionConfiguration(r -> r.functionName("layered"))));
        assertEquals(List.of(b, a), arns(lambda.getFunctionConfiguration(r -> r.functionName("layered").qualifier("1"))),
                "a published version keeps the layers it was published with");
        lambda.updateFunctionConfiguration(r -> r.functionName("layered").layers(List.of()));
        lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName("layered"));
        assertEquals(List.of(), arns(lambda.getFunctionConfiguration(r -> r.functionName("layered"))));

        AwsServiceException six = refused("ValidationException", 400, () -> lambda.createFunction(
                Functions.provided("six-layers").layers(Collections.nCopies(6, a)).build()));
        assertTrue(message(six).contains("Member must have length less than or equal to 5"), message(six));
        AwsServiceException missing = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(
                Functions.provided("missing-layer").layers(ARN + "fn-a:7").build()));
        assertEquals("Layer version " + ARN + "fn-a:7 does not exist.", message(missing));
        String a2 = Layers.publish(lambda, "fn-a", first).layerVersionArn();
        AwsServiceException twice = refused("InvalidParameterValueException", 400, () -> lambda.createFunction(
                Functions.provided("same-layer-twice").layers(a, a2).build()));
        assertEquals("Two different versions of the same layer are not allowed to be referenced in the same "
                + "function. " + a + " and " + a2 + " are versions of the same layer.", message(twice));
        refused("ValidationException", 400, () -> lambda.createFunction(
                Functions.provided("not-an-arn").layers("fn-a").build()));
        refused("InvalidParameterValueException", 400, () -> lambda.updateFunctionConfiguration(r -> r
                .functionName("layered").layers(ARN + "fn-b:2")));
        for (String name : List.of("six-layers", "missing-layer", "same-layer-twice", "not-an-arn")) {
            assertThrows(ResourceNotFoundException.class, () -> lambda.getFunction(r -> r.functionName(name)));
        }
    }

    @Test
    void identicalLayersAreStoredOnceAndKeptWhileAFunctionUsesThem() throws Exception {
        try (TestServer own = TestServer.start(); LambdaClient client = own.lambda()) {
            byte[] zip = Layers.file("python/shared_lib.py", "WORD = 'shared'\n");
            PublishLayerVersionResponse one = Layers.publish(client, "share-one", zip);
            long files = packageFiles(own);
            PublishLayerVersionResponse two = Layers.publish(client, "share-two", zip);
            assertEquals(one.content().codeSha256(), two.content().codeSha256());
            assertEquals(files, packageFiles(own), "the second layer version added no file");

            Functions.createActive(client, Invocations.function("uses-shared", "python3.12", "app.handler",
                    Packages.python("import shared_lib\ndef handler(e, c):\n    return shared_lib.WORD\n"))
                    .layers(one.layerVersionArn()).build());
            client.deleteLayerVersion(b -> b.layerName("share-one").versionNumber(1L));
            client.deleteLayerVersion(b -> b.layerName("share-two").versionNumber(1L));
            assertTrue(Files.exists(Layers.storedPackage(own, zip)), "the function still holds the package");
            assertEquals("\"shared\"", client.invoke(b -> b.functionName("uses-shared")).payload().asUtf8String(),
                    "a function keeps working after its layer version is deleted, as in AWS");
            assertEquals(List.of(one.layerVersionArn()),
                    arns(client.getFunctionConfiguration(b -> b.functionName("uses-shared"))));

            client.deleteFunction(b -> b.functionName("uses-shared"));
            assertFalse(Files.exists(Layers.storedPackage(own, zip)), "nothing holds the package any more");
        }
    }

    @Test
    void layersAndFunctionsUsingThemSurviveARestart() {
        try (TestServer own = TestServer.start()) {
            byte[] zip = Layers.file("python/kept.py", "WORD = 'kept'\n");
            PublishLayerVersionResponse before;
            try (LambdaClient client = own.lambda()) {
                before = Layers.publish(client, "kept", zip);
                Layers.publish(client, "kept", zip);
                client.deleteLayerVersion(b -> b.layerName("kept").versionNumber(2L));
                Functions.createActive(client, Invocations.function("uses-kept", "python3.12", "app.handler",
                        Packages.python("import kept\ndef handler(e, c):\n    return kept.WORD\n"))
                        .layers(before.layerVersionArn()).build());
                assertEquals("\"kept\"", client.invoke(b -> b.functionName("uses-kept")).payload().asUtf8String());
            }
            own.restart();
            try (LambdaClient client = own.lambda()) {
                GetLayerVersionResponse after = client.getLayerVersion(b -> b.layerName("kept").versionNumber(1L));
                // The Location differs only by the restarted server's port.
                assertEquals(before.content().codeSha256(), after.content().codeSha256());
                assertEquals(before.content().codeSize(), after.content().codeSize());
                assertEquals(before.createdDate(), after.createdDate());
                assertEquals(before.layerVersionArn(), after.layerVersionArn());
                assertEquals(3L, Layers.publish(client, "kept", zip).version(), "numbering survives the restart");
                assertEquals(List.of(before.layerVersionArn()),
                        arns(client.getFunctionConfiguration(b -> b.functionName("uses-kept"))));
                assertEquals("\"kept\"", client.invoke(b -> b.functionName("uses-kept")).payload().asUtf8String());
            }
        }
    }

    private static List<Long> versions(String layer) {
        return lambda.listLayerVersions(b -> b.layerName(layer)).layerVersions().stream()
                .map(LayerVersionsListItem::version).toList();
    }

    /** {@code name:version} of each listed layer, leaving out the other tests' layers. */
    private static List<String> latest(List<LayersListItem> layers) {
        return layers.stream().filter(l -> l.layerName().startsWith("flt-"))
                .map(l -> l.layerName() + ":" + l.latestMatchingVersion().version()).toList();
    }

    private static List<String> arns(GetFunctionConfigurationResponse configuration) {
        return configuration.layers().stream().map(Layer::arn).toList();
    }

    private static long packageFiles(TestServer server) throws Exception {
        try (var files = Files.walk(server.dataDir().resolve("code"))) {
            return files.filter(p -> p.toString().endsWith(".zip")).count();
        }
    }


    /**
     * The content without its link's signature: each answer presigns the download link afresh, and the signature
     * and its date change with the second.
     */
    private static String unsigned(software.amazon.awssdk.services.lambda.model.LayerVersionContentOutput content) {
        return content.location().replaceAll("\\?.*", "") + " " + content.codeSha256() + " " + content.codeSize();
    }
}
