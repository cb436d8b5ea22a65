package dev.thunk.runtime.java;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the runtime's own needs: writing error bodies, reading the client-context and
 * cognito-identity headers, and reading the events of handlers that take plain JSON values
 * ({@link PlainJsonCodec}). Keeping this tiny is what lets such handlers start without loading any JSON library.
 */
final class Json {

    private Json() {
    }

    /** Appends {@code s} as a JSON string, escaped as Gson (which AWS's runtime uses for errors) escapes it. */
    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Parses one JSON value: objects become {@link LinkedHashMap}, arrays {@link ArrayList}, numbers their
     * source text as a {@link String} (nobody here does arithmetic), literals {@link Boolean} or null.
     *
     * @throws IllegalArgumentException on malformed input
     */
    static Object parse(String text) {
        return parse(text, false);
    }

    /**
     * Parses one value of strict JSON (RFC 8259, nothing after the value, at most {@value #MAX_DEPTH} levels
     * deep) as Jackson maps it to {@code Object}: objects {@link LinkedHashMap}, arrays {@link ArrayList},
     * integers the smallest of {@link Integer}, {@link Long} and {@link BigInteger}, other numbers
     * {@link Double}, literals {@link Boolean} or null.
     *
     * @throws IllegalArgumentException on anything else, including input Jackson would accept leniently
     */
    static Object parseStrict(String text) {
        return parse(text, true);
    }

    static final int MAX_DEPTH = 500;

    private static Object parse(String text, boolean strict) {
        Parser p = new Parser(text, strict);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("trailing characters");
        }
        return value;
    }

    private static final class Parser {
        private final String s;
        private final boolean strict;
        private int pos;
        private int depth;

        Parser(String s, boolean strict) {
            this.s = s;
            this.strict = strict;
        }

        Object value() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return nested(true);
                case '[':
                    return nested(false);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return strict ? typedNumber() : number();
            }
        }

        private Object nested(boolean object) {
            if (strict && ++depth > MAX_DEPTH) {
                throw error("nested too deeply");
            }
            Object value = object ? object() : array();
            depth--;
            return value;
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a key");
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                map.put(key, value());
                skipSpace();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("expected , or }");
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value());
                skipSpace();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error("expected , or ]");
                }
            }
        }

        private String string() {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    if (strict && c < 0x20) {
                        throw error("control character in string");
                    }
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            char h = s.charAt(pos++);
                            int digit = h < 0x80 ? Character.digit(h, 16) : -1;
                            if (digit < 0) {
                                throw error("bad \\u escape");
                            }
                            code = code * 16 + digit;
                        }
                        sb.append((char) code);
                    }
                    case '"', '\\', '/' -> sb.append(e);
                    default -> {
                        if (strict) {
                            throw error("bad escape");
                        }
                        sb.append(e);
                    }
                }
            }
        }

        private String number() {
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos) {
                throw error("unexpected character");
            }
            return s.substring(start, pos);
        }

        /** RFC 8259's number grammar; the integer types as Jackson's {@code getNumberValue()} picks them. */
        private Number typedNumber() {
            int start = pos;
            boolean integral = true;
            skip('-');
            if (!skip('0') && digits() == 0) {
                throw error("bad number");
            }
            if (skip('.')) {
                integral = false;
                if (digits() == 0) {
                    throw error("bad fraction");
                }
            }
            if (skip('e') || skip('E')) {
                integral = false;
                if (!skip('+')) {
                    skip('-');
                }
                if (digits() == 0) {
                    throw error("bad exponent");
                }
            }
            String text = s.substring(start, pos);
            if (!integral) {
                return Double.parseDouble(text);
            }
            if (text.length() <= 18) {
                long value = Long.parseLong(text);
                return value == (int) value ? (Number) (int) value : (Number) value;
            }
            BigInteger big = new BigInteger(text);
            return big.bitLength() < 64 ? (Number) big.longValue() : big;
        }

        private boolean skip(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private int digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos - start;
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected literal");
            }
            pos += word.length();
            return value;
        }

        void skipSpace() {
            while (pos < s.length() && isSpace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean isSpace(char c) {
            return strict ? c == ' ' || c == '\n' || c == '\r' || c == '\t' : c <= ' ';
        }

        private char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected " + c);
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed JSON at " + pos + ": " + what);
        }
    }
}
