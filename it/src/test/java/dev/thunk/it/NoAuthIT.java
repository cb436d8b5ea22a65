package dev.thunk.it;

import dev.thunk.server.ServerConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --no-auth}: any request goes, signed with anything or not at all, and the server says so. */
class NoAuthIT {

    @Test
    void unsignedAndWronglySignedRequestsWorkAndTheServerSaysSo() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withAccess(
                ServerConfig.AccessOptions.defaults().withoutVerification()));
             LambdaClient anyone = server.lambda(StaticCredentialsProvider.create(
                     AwsBasicCredentials.create("anything", "goes")))) {
            assertTrue(server.describe().stream().anyMatch(l -> l.startsWith("request signing: OFF (--no-auth)")),
                    server.describe().toString());
            Functions.createActive(anyone, Functions.provided("open").build());
            HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.endpoint() + "/2015-03-31/functions/open")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, plain.statusCode(), plain.body());
            String location = anyone.getFunction(b -> b.functionName("open")).code().location();
            assertFalse(location.contains("X-Amz-Signature"), "nothing to presign: " + location);
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }
}
