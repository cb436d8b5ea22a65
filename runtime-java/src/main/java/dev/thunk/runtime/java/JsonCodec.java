package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.Context;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.Map;

/** Reads a handler's event from JSON and writes its result as JSON, for one declared type. Thread-safe. */
interface JsonCodec {

    /** @throws RuntimeException when the JSON does not fit the type (the caller reports AWS's message) */
    Object fromJson(InputStream in, Context context);

    void toJson(Object value, OutputStream out, Context context);

    /**
     * The mapping AWS's runtime would use ({@link PojoCodec}), except that plain JSON types are mapped by
     * {@link PlainJsonCodec}, which gives the same result without loading AWS's serialization library.
     */
    static JsonCodec forType(Type type, ClassLoader userClassLoader) {
        if (PlainJsonCodec.handles(type) && CustomSerializer.find(userClassLoader) == null) {
            return new PlainJsonCodec(type, userClassLoader);
        }
        return PojoCodec.forType(type, userClassLoader);
    }

    /** AWS maps with Gson instead of Jackson when the caller's client context says it is an Android app. */
    static boolean isAndroid(Context context) {
        ClientContext cc = context.getClientContext();
        Map<String, String> env = cc == null ? null : cc.getEnvironment();
        return env != null && "Android".equalsIgnoreCase(env.get("platform"));
    }
}
