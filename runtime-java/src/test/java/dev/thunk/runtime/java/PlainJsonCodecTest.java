package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link PlainJsonCodec} equivalent to AWS's serialization library ({@link PojoCodec} with AWS's Jackson
 * configuration) over a corpus of documents and values: same Java values with the same classes, same bytes, or
 * the same exception. Also checks that the ordinary cases really take the fast path.
 */
class PlainJsonCodecTest {

    /** Declared handler types, taken from a real signature so that generics are what a handler gives us. */
    @SuppressWarnings("unused")
    private static void signature(Object any, Map<?, ?> rawMap, Map<String, Object> map, Map<String, ?> wildMap,
                                  List<?> rawList, List<Object> list, String string, Integer boxedInt, int primInt,
                                  Long boxedLong, long primLong, Double boxedDouble, double primDouble,
                                  Boolean boxedBoolean, boolean primBoolean, Number number) {
    }

    private static final List<Type> TYPES = types();

    private static List<Type> types() {
        for (Method m : PlainJsonCodecTest.class.getDeclaredMethods()) {
            if (m.getName().equals("signature")) {
                List<Type> types = new ArrayList<>(Arrays.asList(m.getGenericParameterTypes()));
                types.set(1, Map.class); // the raw type itself, as in RequestHandler<Map, ...>
                types.set(4, List.class);
                return types;
            }
        }
        throw new AssertionError("no signature method");
    }

    private static final List<String> DOCUMENTS = List.of(
            // plain
            "{}", "[]", "null", "true", "false", "0", "-0", "1", "-1", "42",
            "2147483647", "2147483648", "-2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "123456789012345678", "1234567890123456789", "123456789012345678901234567890",
            "1.0", "-0.0", "1.5", "1e2", "1E-2", "2.5e+3", "0.1", "1.7976931348623157e308", "4.9e-324", "1e400",
            "-1e400", "1e-400", "3.141592653589793238462643383279", "100000000000000000000.0",
            "\"\"", "\"text\"", "\"5\"", "\"true\"", "\"é ✓ 😀\"",
            " \"\\u00e9\\n\\t\\\"\\\\\\/\\b\\f\\r\\u0000\\ud83d\\ude00\\uD83D\\uDE00\" ", "\"\\ud800\"",
            "{\"a\":1,\"b\":{\"c\":[1,2.5,\"x\",null,true,{}]},\"d\":null}",
            "{\"b\":1,\"a\":2,\"b\":3}",
            "{\"n\":12345678901,\"big\":123456789012345678901234567890,\"f\":1.0e10,\"neg\":-5}",
            "{\"\":\"\",\"k\\u0041\":[[],[[]],{}]}",
            "\n\t{ \"a\" : [ 1 , 2 ] }\r\n",
            "[{\"a\":1}]", "[1]", "[\"x\"]", "[[]]", "[null]", "[true]", "[1.5]", "[{}, {}]",
            // lenient, coercions and errors: Jackson decides
            "{'a':1}", "{a:1}", "[01]", "007", "NaN", "-Infinity", "{\"a\":NaN}", "+1", ".5", "1.", "-",
            "[1,]", "{\"a\":1,}", "{} x", "{}{}", "[1] 2", "1 2", "", "   ", "{\"a\":", "\"\\x\"", "\"\\u12g4\"",
            "// c\n{}", "/* c */ 1", "# c\n1", "\uFEFF{}", "\f{}", "{\"a\":\"\t raw tab\"}", "\"abc", "tru", "nul",
            "[1 2]", "{\"a\" 1}", "{1:2}", "\"\\u00\"", "0x10", "1e", "--1", "\u00a0{}",
            deep(600), deep(2000));

    private static String deep(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    private static List<byte[]> documents() {
        List<byte[]> docs = new ArrayList<>();
        for (String d : DOCUMENTS) {
            docs.add(d.getBytes(StandardCharsets.UTF_8));
        }
        docs.add("{\"a\":1}".getBytes(StandardCharsets.UTF_16BE));
        docs.add("{\"a\":1}".getBytes(StandardCharsets.UTF_16)); // with a byte-order mark
        docs.add("\"x\"".getBytes(StandardCharsets.UTF_16LE));
        docs.add(new byte[] {'"', (byte) 0xC3, '"'}); // truncated UTF-8
        docs.add(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}); // an encoded surrogate
        docs.add(new byte[] {'"', (byte) 0xFF, '"'});
        docs.add(new byte[] {'{', '}', 0});
        return docs;
    }

    @Test
    void readsEveryDocumentAsAwsDoes() throws Throwable {
        onLargeStack(this::compareReading);
    }

    @Test
    void writesEveryValueAsAwsDoes() throws Throwable {
        onLargeStack(this::compareWriting);
    }

    /**
     * Jackson recurses per nesting level, so whether it overflows a small stack on a deep document depends on
     * what the JIT has compiled so far; on a large stack it never does, and the comparison is deterministic.
     */
    private static void onLargeStack(Runnable comparison) throws Throwable {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                comparison.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "large-stack", 256L << 20);
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private void compareReading() {
        int compared = 0;
        for (Type type : TYPES) {
            PojoCodec aws = PojoCodec.forType(type, loader());
            PlainJsonCodec plain = new PlainJsonCodec(type, loader());
            for (byte[] doc : documents()) {
                String expected = outcome(() -> aws.fromJson(new ByteArrayInputStream(doc), context()));
                String actual = outcome(() -> plain.fromJson(new ByteArrayInputStream(doc), context()));
                assertEquals(expected, actual, () -> "reading " + new String(doc, StandardCharsets.UTF_8) + " as " + type);
                compared++;
            }
        }
        assertTrue(compared > 1000, "compared " + compared);
    }

    private void compareWriting() {
        List<Object> values = values();
        int compared = 0;
        for (Type type : TYPES) {
            Class<?> raw = boxed(type);
            PojoCodec aws = PojoCodec.forType(type, loader());
            PlainJsonCodec plain = new PlainJsonCodec(type, loader());
            for (Object value : values) {
                if (value != null && !raw.isInstance(value)) {
                    continue; // a handler cannot return it for this declared type
                }
                assertEquals(written(aws, value), written(plain, value), () -> "writing " + describe(value) + " as " + type);
                compared++;
            }
        }
        assertTrue(compared > 300, "compared " + compared);
    }

    @Test
    void ordinaryEventsAndResultsNeverNeedTheLibrary() {
        Type map = TYPES.get(2);
        PlainJsonCodec codec = new PlainJsonCodec(map, loader());
        Object event = codec.fromJson(new ByteArrayInputStream(
                "{\"name\":\"Ada\",\"n\":[1,2.5,null,{\"x\":true}]}".getBytes(StandardCharsets.UTF_8)), context());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.toJson(event, out, context());
        new PlainJsonCodec(String.class, loader()).toJson("hello \"you\"", out, context());
        assertEquals("{\"name\":\"Ada\",\"n\":[1,2.5,null,{\"x\":true}]}\"hello \\\"you\\\"\"",
                out.toString(StandardCharsets.UTF_8));
        assertFalse(codec.fellBack(), "the plain codec loaded Jackson");
    }

    private static List<Object> values() {
        List<Object> values = new ArrayList<>();
        PojoCodec untyped = PojoCodec.forType(Object.class, loader());
        for (byte[] doc : documents()) {
            try {
                values.add(untyped.fromJson(new ByteArrayInputStream(doc), context()));
            } catch (RuntimeException e) {
                // not JSON to Jackson either
            }
        }
        Map<String, Object> withNulls = new LinkedHashMap<>();
        withNulls.put("a", null);
        withNulls.put("b", Arrays.asList(1, null));
        Map<Object, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        Map<String, Object> hash = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            hash.put("k" + i * 7919, i);
        }
        values.addAll(Arrays.asList(
                withNulls, nullKey, hash, new TreeMap<>(Map.of("b", 1, "a", 2)), Map.of("x", 1L),
                Map.of(1, "int key"), Map.of("opt", Optional.of(1)), Map.of("pojo", new Object()),
                Map.of("chars", new char[] {'a'}), Map.of("bytes", new byte[] {1, 2}), Map.of("dec", new BigDecimal("1.50")),
                new TreeSet<>(Set.of("b", "a")), List.of(1, 2L, (short) 3, (byte) 4, 5.5f, 6.5d, BigInteger.TEN),
                List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN, -0.0, 1e-7, 1e21),
                List.of(0.1f, 1.0E10f, Float.MAX_VALUE, Double.MIN_VALUE),
                "control \u0000\u0001\u001f\u007f\u0080\u2028\u2029 \b\t\n\f\r \"q\" \\ / <é> 😀", "\ud800",
                "x\udc00y", "end\ud83d", "", 'c', 7, 7L, 7.0, true, false, BigInteger.ONE.shiftLeft(70),
                new BigDecimal("1e3"), Optional.empty(), new StringBuilder("sb"),
                nested(3), Arrays.asList("a", "b"), new Object[] {"arr"}, new int[] {1}));
        values.add(null);
        return values;
    }

    private static List<Object> nested(int n) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(List.of(Map.of("i", i)));
        }
        return list;
    }

    private static String written(JsonCodec codec, Object value) {
        return outcome(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            codec.toJson(value, out, context());
            return out.toString(StandardCharsets.UTF_8);
        });
    }

    private static Class<?> boxed(Type type) {
        if (type instanceof Class<?> c) {
            return c == int.class ? Integer.class : c == long.class ? Long.class : c == double.class ? Double.class
                    : c == boolean.class ? Boolean.class : c;
        }
        return (Class<?>) ((java.lang.reflect.ParameterizedType) type).getRawType();
    }

    /** The value with every class and every order visible, or the exception. */
    private static String outcome(Supplier<Object> action) {
        try {
            return describe(action.get());
        } catch (RuntimeException | StackOverflowError e) {
            Throwable root = e;
            StringBuilder sb = new StringBuilder("threw");
            while (root != null) {
                sb.append(' ').append(root.getClass().getName()).append(": ").append(root.getMessage());
                root = root.getCause();
            }
            return sb.toString();
        }
    }

    private static String describe(Object v) {
        return describe(v, 0);
    }

    private static String describe(Object v, int depth) {
        if (v == null) {
            return "null";
        }
        if (depth > 20) {
            return "...";
        }
        StringBuilder sb = new StringBuilder(v.getClass().getSimpleName());
        if (v instanceof Map<?, ?> map) {
            sb.append('{');
            map.forEach((k, value) -> sb.append(describe(k, depth + 1)).append('=').append(describe(value, depth + 1))
                    .append(','));
            return sb.append('}').toString();
        }
        if (v instanceof Collection<?> c) {
            sb.append('[');
            c.forEach(e -> sb.append(describe(e, depth + 1)).append(','));
            return sb.append(']').toString();
        }
        return sb.append(':').append(v).toString();
    }

    private static ClassLoader loader() {
        return PlainJsonCodecTest.class.getClassLoader();
    }

    private static LambdaContext context() {
        RuntimeConfig config = new RuntimeConfig("localhost", 9001, "h", "/tmp", "/opt", "fn", "$LATEST", 128,
                null, null);
        Invocation invocation = new Invocation("r1", 0, null, null, null, null, null, new byte[0]);
        return new LambdaContext(config, invocation, null, null, new StdoutLogger(System.out, null));
    }
}
