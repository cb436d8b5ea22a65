package dev.thunk.cli;

import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages written by the AWS SDK's own event stream encoder, read back one at a time. */
class EventStreamReaderTest {

    private static byte[] encoded(String eventType, byte[] payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("event"));
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":flag", HeaderValue.fromBoolean(true));
        headers.put(":count", HeaderValue.fromInteger(7));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Message(headers, payload).encode(out);
        return out.toByteArray();
    }

    @Test
    void readsMessagesInOrderThenTheEnd() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(encoded("PayloadChunk", new byte[]{0, 1, (byte) 0xFF}));
        stream.writeBytes(encoded("InvokeComplete", "{}".getBytes(StandardCharsets.UTF_8)));
        EventStreamReader reader = new EventStreamReader(new ByteArrayInputStream(stream.toByteArray()));

        EventStreamReader.Message chunk = reader.next().orElseThrow();
        assertEquals("PayloadChunk", chunk.header(":event-type"));
        assertEquals("", chunk.header(":flag"), "headers of other types are skipped");
        assertArrayEquals(new byte[]{0, 1, (byte) 0xFF}, chunk.payload());
        assertEquals("InvokeComplete", reader.next().orElseThrow().header(":event-type"));
        assertTrue(reader.next().isEmpty());
    }

    @Test
    void aDamagedOrCutMessageIsAnError() {
        byte[] message = encoded("PayloadChunk", "hello".getBytes(StandardCharsets.UTF_8));
        byte[] damaged = message.clone();
        damaged[damaged.length - 6] ^= 1;
        IOException checksum = assertThrows(IOException.class,
                () -> new EventStreamReader(new ByteArrayInputStream(damaged)).next());
        assertTrue(checksum.getMessage().contains("checksum"), checksum.getMessage());

        byte[] cut = Arrays.copyOf(message, message.length - 3);
        assertThrows(java.io.EOFException.class, () -> new EventStreamReader(new ByteArrayInputStream(cut)).next());
    }
}
