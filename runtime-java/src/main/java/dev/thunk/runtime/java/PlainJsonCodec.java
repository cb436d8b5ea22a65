package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON mapping for handlers whose event and result are plain JSON values: {@code Object}, {@code Map} (raw or
 * {@code <String, Object>}), {@code List} (raw or {@code <Object>}), {@code String}, {@code Number}, and
 * {@code Integer}, {@code Long}, {@code Double}, {@code Boolean} boxed or primitive. It gives exactly what AWS's
 * Jackson configuration gives ({@code PlainJsonCodecTest} compares the two) without loading AWS's serialization
 * library, which costs a few hundred milliseconds of cold start.
 *
 * <p>Only the plain cases are done here. Anything else — lenient syntax, a coercion (a number for a String, an
 * empty string for a Map), a caller on Android, a result holding a value that is not plain JSON — goes whole to
 * {@link PojoCodec}, loaded on first need, so that odd input gets AWS's answer and AWS's error. Thread-safe.
 */
final class PlainJsonCodec implements JsonCodec {

    /** What a declared type accepts without help from Jackson. */
    private enum Kind { ANY, MAP, LIST, STRING, INT, LONG, DOUBLE, BOOLEAN, NUMBER }

    private final Type type;
    private final Kind kind;
    private final ClassLoader userClassLoader;
    private volatile PojoCodec fallback;

    PlainJsonCodec(Type type, ClassLoader userClassLoader) {
        this.type = type;
        this.kind = kindOf(type);
        this.userClassLoader = userClassLoader;
        if (kind == null) {
            throw new IllegalArgumentException("not a plain JSON type: " + type);
        }
    }

    static boolean handles(Type type) {
        return kindOf(type) != null;
    }

    private static Kind kindOf(Type type) {
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            if (p.getRawType() == Map.class && args[0] == String.class && isObject(args[1])) {
                return Kind.MAP;
            }
            return p.getRawType() == List.class && isObject(args[0]) ? Kind.LIST : null;
        }
        if (type == Object.class) {
            return Kind.ANY;
        } else if (type == Map.class) {
            return Kind.MAP;
        } else if (type == List.class) {
            return Kind.LIST;
        } else if (type == String.class) {
            return Kind.STRING;
        } else if (type == Integer.class || type == int.class) {
            return Kind.INT;
        } else if (type == Long.class || type == long.class) {
            return Kind.LONG;
        } else if (type == Double.class || type == double.class) {
            return Kind.DOUBLE;
        } else if (type == Boolean.class || type == boolean.class) {
            return Kind.BOOLEAN;
        }
        return type == Number.class ? Kind.NUMBER : null;
    }

    /** {@code Object}, {@code ?} or {@code ? extends Object}. */
    private static boolean isObject(Type t) {
        return t == Object.class || (t instanceof WildcardType w && w.getLowerBounds().length == 0
                && w.getUpperBounds().length == 1 && w.getUpperBounds()[0] == Object.class);
    }

    @Override
    public Object fromJson(InputStream in, Context context) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!JsonCodec.isAndroid(context)) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
                Object value = Json.parseStrict(text);
                if (fits(value)) {
                    return value == null ? null : kind == Kind.LONG ? (Object) ((Number) value).longValue()
                            : kind == Kind.DOUBLE ? (Object) ((Number) value).doubleValue() : value;
                }
            } catch (CharacterCodingException | IllegalArgumentException e) {
                // Not strict UTF-8 JSON: Jackson's lenient reading decides.
            }
        }
        return fallback().fromJson(new ByteArrayInputStream(bytes), context);
    }

    /** Whether {@code value} is what Jackson makes of the same JSON for this type, up to the numeric type. */
    private boolean fits(Object value) {
        if (value == null) {
            // Jackson gives a primitive its default value instead.
            return !(type instanceof Class<?> c && c.isPrimitive());
        }
        return switch (kind) {
            case ANY -> true;
            case MAP -> value instanceof Map;
            case LIST -> value instanceof List;
            case STRING -> value instanceof String;
            case INT -> value instanceof Integer;
            case LONG -> value instanceof Integer || value instanceof Long;
            case DOUBLE, NUMBER -> value instanceof Number;
            case BOOLEAN -> value instanceof Boolean;
        };
    }

    @Override
    public void toJson(Object value, OutputStream out, Context context) {
        StringBuilder sb = new StringBuilder();
        if (!JsonCodec.isAndroid(context) && write(value, sb, 0)) {
            try {
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        fallback().toJson(value, out, context);
    }

    /** Writes as Jackson writes; @return false, with {@code sb} spoiled, at a value only Jackson knows. */
    private static boolean write(Object v, StringBuilder sb, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            return quote(s, sb);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            boolean finite = !Double.isNaN(d) && !Double.isInfinite(d);
            // Jackson's WRITE_NAN_AS_STRINGS.
            sb.append(finite ? "" : "\"").append(v).append(finite ? "" : "\"");
        } else if (v instanceof Map<?, ?> map && isJdk(v) && depth < Json.MAX_DEPTH) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    return false;
                }
                if (e.getValue() == null) {
                    continue; // AWS's mapper includes NON_NULL only, map entries too
                }
                sb.append(first ? "" : ",");
                first = false;
                if (!quote(key, sb)) {
                    return false;
                }
                sb.append(':');
                if (!write(e.getValue(), sb, depth + 1)) {
                    return false;
                }
            }
            sb.append('}');
        } else if (v instanceof Collection<?> list && isJdk(v) && depth < Json.MAX_DEPTH) {
            sb.append('[');
            boolean first = true;
            for (Object element : list) {
                sb.append(first ? "" : ",");
                first = false;
                if (!write(element, sb, depth + 1)) {
                    return false;
                }
            }
            sb.append(']');
        } else {
            return false;
        }
        return true;
    }

    /** A user's own Map or Collection subclass may carry Jackson annotations; the JDK's never do. */
    private static boolean isJdk(Object v) {
        return v.getClass().getName().startsWith("java.util.");
    }

    /** Jackson's escaping; @return false at a lone surrogate, which Jackson refuses to write. */
    private static boolean quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\b' -> sb.append("\\b");
                    case '\t' -> sb.append("\\t");
                    case '\n' -> sb.append("\\n");
                    case '\f' -> sb.append("\\f");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            } else if (Character.isSurrogate(c)) {
                // Jackson 2.14 escapes each half of a pair rather than writing the 4-byte UTF-8 sequence.
                sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        return true;
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Whether some event or result needed AWS's library; for tests. */
    boolean fellBack() {
        return fallback != null;
    }

    private PojoCodec fallback() {
        PojoCodec codec = fallback;
        if (codec == null) {
            codec = PojoCodec.forType(type, userClassLoader);
            fallback = codec;
        }
        return codec;
    }
}
