package dev.thunk.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Reads AWS's event stream encoding ({@code application/vnd.amazon.eventstream}), as InvokeWithResponseStream
 * answers, one message at a time as it arrives: a prelude (total length, headers length, their CRC32), typed
 * headers, the payload, and a CRC32 of the whole message; integers big-endian. Both checksums are verified.
 */
final class EventStreamReader {
    /** One message: its string headers (other header types are skipped) and its payload. */
    record Message(Map<String, String> headers, byte[] payload) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    private static final int PRELUDE = 12;
    private static final int MAX_MESSAGE = 24 << 20;
    private final InputStream in;

    EventStreamReader(InputStream in) {
        this.in = in;
    }

    /** The next message; empty at the end of the stream. */
    Optional<Message> next() throws IOException {
        byte[] prelude = in.readNBytes(PRELUDE);
        if (prelude.length == 0) {
            return Optional.empty();
        }
        if (prelude.length < PRELUDE) {
            throw new EOFException("the event stream ended inside a message");
        }
        ByteBuffer head = ByteBuffer.wrap(prelude);
        int total = head.getInt();
        int headersLength = head.getInt();
        if (head.getInt() != crc(prelude, 0, 8)) {
            throw new IOException("an event stream message's prelude fails its checksum");
        }
        if (total < PRELUDE + 4 || total > MAX_MESSAGE || headersLength < 0 || headersLength > total - PRELUDE - 4) {
            throw new IOException("an event stream message has impossible lengths (" + total + ", "
                    + headersLength + ")");
        }
        byte[] message = new byte[total];
        System.arraycopy(prelude, 0, message, 0, PRELUDE);
        int read = in.readNBytes(message, PRELUDE, total - PRELUDE);
        if (read < total - PRELUDE) {
            throw new EOFException("the event stream ended inside a message");
        }
        ByteBuffer body = ByteBuffer.wrap(message);
        if (body.getInt(total - 4) != crc(message, 0, total - 4)) {
            throw new IOException("an event stream message fails its checksum");
        }
        body.position(PRELUDE);
        Map<String, String> headers = headers(body.slice(PRELUDE, headersLength));
        byte[] payload = new byte[total - PRELUDE - headersLength - 4];
        body.get(PRELUDE + headersLength, payload);
        return Optional.of(new Message(headers, payload));
    }

    private static Map<String, String> headers(ByteBuffer buffer) throws IOException {
        Map<String, String> headers = new HashMap<>();
        try {
            while (buffer.hasRemaining()) {
                byte[] name = new byte[buffer.get() & 0xFF];
                buffer.get(name);
                int type = buffer.get();
                switch (type) {
                    case 0, 1 -> { } // true, false
                    case 2 -> buffer.get();
                    case 3 -> buffer.getShort();
                    case 4 -> buffer.getInt();
                    case 5, 8 -> buffer.getLong();
                    case 9 -> buffer.position(buffer.position() + 16);
                    case 6, 7 -> {
                        byte[] value = new byte[buffer.getShort() & 0xFFFF];
                        buffer.get(value);
                        if (type == 7) {
                            headers.put(new String(name, StandardCharsets.UTF_8),
                                    new String(value, StandardCharsets.UTF_8));
                        }
                    }
                    default -> throw new IOException("an event stream header has an unknown type " + type);
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("an event stream message's headers are cut short", e);
        }
        return headers;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
