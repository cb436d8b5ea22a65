package dev.thunk.api;

import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one percent-encoded path segment strictly: {@code +} stays a plus (it is a space only in forms), and
 * malformed escapes or bytes that are not UTF-8 are the caller's error, never a server error.
 */
public final class PercentDecoding {
    private PercentDecoding() {
    }

    public static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw malformed(segment);
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw malformed(segment);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw malformed(segment);
        }
    }

    private static LambdaException malformed(String segment) {
        return new LambdaException(ErrorCode.InvalidParameterValueException,
                "The request path contains a malformed percent-encoded segment: " + segment);
    }
}
