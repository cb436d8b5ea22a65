package dev.thunk.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Base of test classes that share one server (with default settings) and one SDK client among their tests. Each
 * class gets its own server: JUnit runs the class's {@code @BeforeAll} and {@code @AfterAll} around it.
 */
abstract class SharedServerIT {
    static TestServer server;
    static LambdaClient lambda;

    @BeforeAll
    static void startSharedServer() {
        server = TestServer.start();
        lambda = server.lambda();
    }

    @AfterAll
    static void stopSharedServer() {
        lambda.close();
        server.close();
    }
}
