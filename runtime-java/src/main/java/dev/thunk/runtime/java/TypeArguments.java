package dev.thunk.runtime.java;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the actual type arguments a class gives a generic interface, through superclasses and
 * super-interfaces, substituting type variables on the way: {@code class H extends Base<Foo>} with
 * {@code class Base<T> implements RequestHandler<T, String>} yields {@code [Foo, String]}.
 */
final class TypeArguments {

    private TypeArguments() {
    }

    /**
     * @return the arguments (possibly unresolved {@link TypeVariable}s when the class leaves them open), or null
     *         when {@code clazz} reaches {@code iface} only through raw types
     */
    static Type[] of(Class<?> clazz, Class<?> iface) {
        return search(clazz, new HashMap<>(), iface);
    }

    private static Type[] search(Type type, Map<TypeVariable<?>, Type> bindings, Class<?> iface) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> inner = new HashMap<>();
        Type[] actual = null;
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            raw = c;
            actual = p.getActualTypeArguments().clone();
            TypeVariable<?>[] params = raw.getTypeParameters();
            for (int i = 0; i < actual.length; i++) {
                actual[i] = substitute(actual[i], bindings);
                if (i < params.length) {
                    inner.put(params[i], actual[i]);
                }
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
        } else {
            return null;
        }
        if (raw == iface) {
            return actual;
        }
        if (!iface.isAssignableFrom(raw)) {
            return null;
        }
        for (Type superInterface : raw.getGenericInterfaces()) {
            Type[] found = search(superInterface, inner, iface);
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null ? null : search(superclass, inner, iface);
    }

    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable<?> variable) {
            Type bound = bindings.get(variable);
            return bound != null ? bound : variable;
        }
        return type;
    }
}
