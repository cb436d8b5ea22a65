package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.GsonFactory;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;

/**
 * JSON ⇄ POJO for one type, chosen exactly as AWS's runtime chooses: a {@link CustomPojoSerializer} the user
 * registered in {@code META-INF/services} wins; an aws-lambda-java-events type gets AWS's event serializer
 * (resolved through the user's class loader, where the events jar lives); anything else gets AWS's Jackson
 * configuration, or Gson when the client context says the caller is an Android app.
 *
 * <p>This is the only class that touches aws-lambda-java-serialization, so handlers that need no JSON mapping,
 * or only {@link PlainJsonCodec}'s, never load it. Thread-safe.
 */
final class PojoCodec implements JsonCodec {

    private final Type type;
    private final PojoSerializer<Object> serializer;
    private final boolean platformDependent;
    private volatile PojoSerializer<Object> androidSerializer;

    private PojoCodec(Type type, PojoSerializer<Object> serializer, boolean platformDependent) {
        this.type = type;
        this.serializer = serializer;
        this.platformDependent = platformDependent;
    }

    static PojoCodec forType(Type type, ClassLoader userClassLoader) {
        CustomPojoSerializer custom = CustomSerializer.find(userClassLoader);
        if (custom != null) {
            return new PojoCodec(type, new CustomAdapter(custom, type), false);
        }
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            @SuppressWarnings("unchecked")
            PojoSerializer<Object> events = LambdaEventSerializers.serializerFor((Class<Object>) c, userClassLoader);
            return new PojoCodec(type, events, false);
        }
        return new PojoCodec(type, JacksonFactory.getInstance().getSerializer(type), true);
    }

    @Override
    public Object fromJson(InputStream in, Context context) {
        return serializerFor(context).fromJson(in);
    }

    @Override
    public void toJson(Object value, OutputStream out, Context context) {
        serializerFor(context).toJson(value, out);
    }

    private PojoSerializer<Object> serializerFor(Context context) {
        if (!platformDependent || !JsonCodec.isAndroid(context)) {
            return serializer;
        }
        PojoSerializer<Object> android = androidSerializer;
        if (android == null) {
            android = GsonFactory.getInstance().getSerializer(type);
            androidSerializer = android;
        }
        return android;
    }

    private static final class CustomAdapter implements PojoSerializer<Object> {
        private final CustomPojoSerializer custom;
        private final Type type;

        CustomAdapter(CustomPojoSerializer custom, Type type) {
            this.custom = custom;
            this.type = type;
        }

        @Override
        public Object fromJson(InputStream input) {
            return custom.fromJson(input, type);
        }

        @Override
        public Object fromJson(String input) {
            return custom.fromJson(input, type);
        }

        @Override
        public void toJson(Object value, OutputStream output) {
            custom.toJson(value, output, type);
        }
    }
}
