package dev.thunk.runtime.java;

import java.io.ByteArrayOutputStream;

/** The handler's output, reused across invocations and posted straight from its array without a copy. */
final class ResponseBuffer extends ByteArrayOutputStream {

    ResponseBuffer() {
        super(1024);
    }

    byte[] array() {
        return buf;
    }

    int length() {
        return count;
    }

    /** Drops a buffer that grew for one large answer, so one big response does not pin memory for good. */
    void recycle() {
        if (buf.length > 1024 * 1024) {
            buf = new byte[1024];
        }
        reset();
    }
}
