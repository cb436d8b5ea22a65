package dev.thunk.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One message of AWS's event stream encoding ({@code application/vnd.amazon.eventstream}), as InvokeWithResponseStream
 * answers: a prelude (total length, headers length, CRC32 of both), string headers, the payload, and a CRC32 of
 * everything before it; integers big-endian.
 */
final class EventStreamMessage {
    private static final byte STRING = 7;
    private static final int PRELUDE = 12;
    private static final int TRAILER = 4;

    private EventStreamMessage() {
    }

    /** An event: headers {@code :message-type} (event), {@code :event-type} and {@code :content-type}. */
    static byte[] event(String eventType, String contentType, byte[] payload) {
        return encode(Map.of(":message-type", "event", ":event-type", eventType, ":content-type", contentType),
                payload);
    }

    static byte[] encode(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream encodedHeaders = new ByteArrayOutputStream();
        headers.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(header -> {
            byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
            encodedHeaders.write(name.length);
            encodedHeaders.writeBytes(name);
            encodedHeaders.write(STRING);
            encodedHeaders.write(value.length >>> 8);
            encodedHeaders.write(value.length & 0xFF);
            encodedHeaders.writeBytes(value);
        });
        byte[] headerBytes = encodedHeaders.toByteArray();
        int total = PRELUDE + headerBytes.length + payload.length + TRAILER;
        ByteBuffer message = ByteBuffer.allocate(total);
        message.putInt(total).putInt(headerBytes.length);
        message.putInt(crc(message.array(), 0, 8));
        message.put(headerBytes).put(payload);
        message.putInt(crc(message.array(), 0, total - TRAILER));
        return message.array();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
