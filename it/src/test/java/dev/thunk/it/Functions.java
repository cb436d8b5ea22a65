package dev.thunk.it;

import dev.thunk.testkit.TestZip;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionCode;

/** Ready-made requests for tests: a valid custom-runtime function and its package. */
final class Functions {
    static final String ROLE = "arn:aws:iam::000000000000:role/thunk-test";

    private Functions() {
    }

    static byte[] bootstrapZip(String script) {
        return TestZip.create().executable("bootstrap", script).bytes();
    }

    static byte[] helloZip() {
        return bootstrapZip("#!/bin/sh\necho hello\n");
    }

    static CreateFunctionRequest.Builder provided(String name) {
        return CreateFunctionRequest.builder()
                .functionName(name)
                .runtime("provided.al2023")
                .handler("bootstrap")
                .role(ROLE)
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(helloZip())).build());
    }

    /** Creates the function and waits until it is Active, as a user with the SDK's waiter would. */
    static CreateFunctionResponse createActive(LambdaClient lambda, CreateFunctionRequest request) {
        CreateFunctionResponse created = lambda.createFunction(request);
        lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(request.functionName()));
        return created;
    }
}
