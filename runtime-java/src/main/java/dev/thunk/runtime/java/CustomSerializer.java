package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The user's {@link CustomPojoSerializer} from {@code META-INF/services}, looked up once per process as AWS does.
 * Apart from {@link PojoCodec} so that deciding on {@link PlainJsonCodec} loads nothing of AWS's serialization
 * library.
 */
final class CustomSerializer {

    private static boolean searched;
    private static CustomPojoSerializer found;

    private CustomSerializer() {
    }

    /** @return null when the user registered none */
    static synchronized CustomPojoSerializer find(ClassLoader loader) {
        if (!searched) {
            Iterator<CustomPojoSerializer> it = ServiceLoader.load(CustomPojoSerializer.class, loader).iterator();
            if (it.hasNext()) {
                found = it.next();
                if (it.hasNext()) {
                    throw new IllegalStateException(
                            "Too many serializers provided inside the META-INF/services folder, only one is allowed");
                }
            }
            searched = true;
        }
        return found;
    }
}
