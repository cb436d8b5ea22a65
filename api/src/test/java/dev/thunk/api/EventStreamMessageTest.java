package dev.thunk.api;

import dev.thunk.core.invoke.InvocationResult;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** InvokeWithResponseStream's events, read back with the AWS SDK's own event stream decoder (which checks the CRCs). */
class EventStreamMessageTest {

    @Test
    void aPayloadChunkCarriesTheBytesAsTheyAre() {
        byte[] bytes = {0, 1, 2, (byte) 0xFF, 'x'};
        Message message = Message.decode(ByteBuffer.wrap(ResponseStreamInvoke.payloadChunk(bytes)));
        assertEquals("event", message.getHeaders().get(":message-type").getString());
        assertEquals("PayloadChunk", message.getHeaders().get(":event-type").getString());
        assertEquals("application/octet-stream", message.getHeaders().get(":content-type").getString());
        assertArrayEquals(bytes, message.getPayload());
    }

    @Test
    void invokeCompleteCarriesTheErrorAndTheLogTail() {
        byte[] error = "{\"errorType\":\"Error\",\"errorMessage\":\"boom\",\"trace\":[]}".getBytes(StandardCharsets.UTF_8);
        Message failed = Message.decode(ByteBuffer.wrap(ResponseStreamInvoke.complete(new InvocationResult.Failure(
                "r1", "$LATEST", "Runtime.Unknown", error, Optional.of("bG9n")))));
        assertEquals("InvokeComplete", failed.getHeaders().get(":event-type").getString());
        assertEquals("application/json", failed.getHeaders().get(":content-type").getString());
        assertEquals("{\"ErrorCode\":\"Error\",\"ErrorDetails\":\"boom\",\"LogResult\":\"bG9n\"}",
                new String(failed.getPayload(), StandardCharsets.UTF_8));

        Message succeeded = Message.decode(ByteBuffer.wrap(ResponseStreamInvoke.complete(new InvocationResult.Success(
                "r2", "$LATEST", new byte[0], Optional.empty()))));
        assertEquals("{}", new String(succeeded.getPayload(), StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedMessageFailsItsChecksum() {
        byte[] encoded = ResponseStreamInvoke.payloadChunk("hello".getBytes(StandardCharsets.UTF_8));
        encoded[encoded.length - 6] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> Message.decode(ByteBuffer.wrap(encoded)));
    }
}
