package dev.thunk.it;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.thunk.testkit.TestZip;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.State;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layer code as each runtime finds it in {@code /opt}, in AWS's directories and order. */
class LayerRuntimesIT extends SharedServerIT {

    @Test
    void pythonImportsFromTheLayersPythonDirectory() {
        String layer = Layers.publish(lambda, "py-lib", Layers.file("python/greeting.py",
                "def greet(name):\n    return 'layer greets ' + name\n")).layerVersionArn();
        create(Invocations.function("py-layered", "python3.12", "app.handler",
                Packages.python("import greeting\ndef handler(event, context):\n    return greeting.greet('py')\n"))
                .layers(layer));
        assertAnswers("\"layer greets py\"", "py-layered", "{}");
    }

    @Test
    void nodeRequiresFromTheLayersNodeModules() {
        String layer = Layers.publish(lambda, "node-lib", Layers.file("nodejs/node_modules/greeter/index.js",
                "exports.greet = (name) => 'layer greets ' + name;\n")).layerVersionArn();
        create(Invocations.function("node-layered", "nodejs20.x", "index.handler",
                Packages.node("const greeter = require('greeter');\n"
                        + "exports.handler = async () => greeter.greet('node');\n"))
                .layers(layer));
        assertAnswers("\"layer greets node\"", "node-layered", "{}");
    }

    @Test
    void javaLoadsJarsFromTheLayersJavaLib() throws IOException {
        // The handler's libraries (aws-lambda-java-events and its joda-time) come only from the layer.
        TestZip zip = TestZip.create();
        for (Class<?> library : new Class<?>[]{SQSEvent.class, org.joda.time.DateTime.class}) {
            Path jar = Packages.locationOf(library);
            zip.file("java/lib/" + jar.getFileName(), Files.readAllBytes(jar), 0100644);
        }
        String layer = Layers.publish(lambda, "java-lib", zip.bytes()).layerVersionArn();
        create(Invocations.function("java-layered", "java21", "dev.thunk.it.handlers.Queue::bodies", Packages.java())
                .layers(layer));
        assertAnswers("\"m1=from a layer;\"", "java-layered",
                "{\"Records\":[{\"messageId\":\"m1\",\"body\":\"from a layer\"}]}");
    }

    @Test
    void aCustomRuntimeRunsTheBootstrapItsLayerBrings() {
        String layer = Layers.publish(lambda, "runtime-layer", TestZip.create()
                .executable("bootstrap", InvokeIT.PROVIDED_ECHO).bytes()).layerVersionArn();
        create(Invocations.function("provided-layered", "provided.al2023", "unused",
                TestZip.create().file("README", "the runtime comes from a layer").bytes()).layers(layer));
        assertEquals(State.ACTIVE, lambda.getFunctionConfiguration(b -> b.functionName("provided-layered")).state());
        Invocations.Result result = Invocations.invoke(lambda, "provided-layered", "{\"n\":1}");
        assertNull(result.functionError(), result.payload());
        assertTrue(result.payload().contains("\"functionName\": \"provided-layered\""), result.payload());
    }

    @Test
    void laterLayersReplaceTheFilesOfEarlierOnes() {
        String first = Layers.publish(lambda, "order-first", TestZip.create()
                .file("python/word.py", "WORD = 'first'\n")
                .file("python/only_first.py", "KEPT = 'kept'\n").bytes()).layerVersionArn();
        String second = Layers.publish(lambda, "order-second", Layers.file("python/word.py", "WORD = 'second'\n"))
                .layerVersionArn();
        byte[] app = Packages.python("import word, only_first\n"
                + "def handler(event, context):\n    return word.WORD + '+' + only_first.KEPT\n");
        create(Invocations.function("first-then-second", "python3.12", "app.handler", app).layers(first, second));
        create(Invocations.function("second-then-first", "python3.12", "app.handler", app).layers(second, first));
        assertAnswers("\"second+kept\"", "first-then-second", "{}");
        assertAnswers("\"first+kept\"", "second-then-first", "{}");
    }

    private static void create(software.amazon.awssdk.services.lambda.model.CreateFunctionRequest.Builder request) {
        Functions.createActive(lambda, request.build());
    }

    private static void assertAnswers(String expected, String function, String payload) {
        Invocations.Result result = Invocations.invoke(lambda, function, payload);
        assertNull(result.functionError(), result.payload() + "\n" + result.log());
        assertEquals(expected, result.payload());
    }
}
