package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Turns a {@code _HANDLER} string into something that runs invocations, with AWS's rules and AWS's error
 * messages: {@code package.Class} must implement {@link RequestStreamHandler} or {@link RequestHandler};
 * {@code package.Class::method} names a public method taking (), (I), (I, Context), (Context),
 * (InputStream), (OutputStream), (InputStream, OutputStream), (InputStream, Context), (OutputStream, Context)
 * or (InputStream, OutputStream, Context). Among overloads the longest signature wins, one ending in Context
 * counting one more.
 *
 * <p>Everything is adapted to {@link RequestStreamHandler}, so the runtime loop only ever moves bytes. Loading
 * runs the class's static initialiser and constructor: this is the function's init phase.
 */
final class HandlerLoader {

    private HandlerLoader() {
    }

    /** @throws HandlerLoadException with AWS's report when the handler cannot be loaded or constructed */
    static RequestStreamHandler load(String handler, ClassLoader loader) {
        int separator = handler.lastIndexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        String methodName = separator < 0 ? null : handler.substring(separator + 2);
        if (className.isEmpty() || (methodName != null && methodName.isEmpty())) {
            throw fault("Invalid handler: `" + handler + "'");
        }
        Class<?> clazz;
        try {
            clazz = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new HandlerLoadException(ErrorReport.badFunctionCode("Class not found: " + className, e));
        } catch (Throwable t) {
            // ExceptionInInitializerError from a static initialiser, NoClassDefFoundError, other linkage errors.
            String message = "Error loading class " + className + (t.getMessage() == null ? "" : ": " + t.getMessage());
            throw new HandlerLoadException(ErrorReport.badFunctionCode(message, t));
        }
        return methodName == null ? loadClassHandler(clazz, loader) : loadMethodHandler(clazz, methodName, loader);
    }

    private static RequestStreamHandler loadClassHandler(Class<?> clazz, ClassLoader loader) {
        if (RequestStreamHandler.class.isAssignableFrom(clazz)) {
            return (RequestStreamHandler) instantiate(clazz);
        }
        if (!RequestHandler.class.isAssignableFrom(clazz)) {
            throw fault("Class does not implement an appropriate handler interface: " + clazz.getName());
        }
        Type[] types = TypeArguments.of(clazz, RequestHandler.class);
        if (types == null) {
            throw fault("Class " + clazz.getName() + " does not implement RequestHandler with concrete type parameters");
        }
        if (types.length != 2) {
            throw fault("Invalid class signature for RequestHandler. Expected two generic types, got " + types.length);
        }
        for (Type t : types) {
            if (t instanceof TypeVariable<?> variable && !hasBound(variable)) {
                throw fault("Class " + clazz.getName()
                        + " does not implement RequestHandler with concrete type parameters: parameter "
                        + variable + " has no upper bound.");
            }
        }
        RequestHandler<?, ?> instance = (RequestHandler<?, ?>) instantiate(clazz);
        return pojo(instance, types[0], types[1], loader);
    }

    private static boolean hasBound(TypeVariable<?> variable) {
        for (Type bound : variable.getBounds()) {
            if (!Object.class.equals(bound)) {
                return true;
            }
        }
        return false;
    }

    private static RequestStreamHandler loadMethodHandler(Class<?> clazz, String methodName, ClassLoader loader) {
        Method[] all;
        try {
            all = clazz.getMethods();
        } catch (NoClassDefFoundError e) {
            throw new HandlerLoadException(ErrorReport.badFunctionCode(
                    "Error loading method " + methodName + " on class " + clazz.getName(), e));
        }
        Method[] named = new Method[all.length];
        int count = 0;
        for (Method m : all) {
            if (m.getName().equals(methodName)) {
                named[count++] = m;
            }
        }
        // Stable sort, so equal-ranked overloads keep getMethods() order, as AWS's loader does.
        Arrays.sort(named, 0, count, new OverloadPriority());
        for (int i = 0; i < count; i++) {
            RequestStreamHandler handler = fromOverload(clazz, named[i], loader);
            if (handler != null) {
                return handler;
            }
        }
        throw fault("No public method named " + methodName
                + " with appropriate method signature found on class " + clazz.getName());
    }

    /** @return null when this overload's signature is not one a handler may have */
    private static RequestStreamHandler fromOverload(Class<?> clazz, Method m, ClassLoader loader) {
        Type[] p = m.getGenericParameterTypes();
        Type r = m.getGenericReturnType();
        switch (p.length) {
            case 0:
                return pojoMethod(clazz, m, null, r, false, loader);
            case 1:
                if (InputStream.class.equals(p[0])) {
                    return streamMethod(clazz, m, true, false, false);
                } else if (OutputStream.class.equals(p[0])) {
                    return streamMethod(clazz, m, false, true, false);
                } else if (isContext(p[0])) {
                    return pojoMethod(clazz, m, null, r, true, loader);
                }
                return pojoMethod(clazz, m, p[0], r, false, loader);
            case 2:
                if (OutputStream.class.equals(p[0])) {
                    return isContext(p[1]) ? streamMethod(clazz, m, false, true, true) : null;
                } else if (isContext(p[0])) {
                    return null;
                } else if (InputStream.class.equals(p[0])) {
                    if (OutputStream.class.equals(p[1])) {
                        return streamMethod(clazz, m, true, true, false);
                    }
                    return isContext(p[1]) ? streamMethod(clazz, m, true, false, true) : null;
                }
                return isContext(p[1]) ? pojoMethod(clazz, m, p[0], r, true, loader) : null;
            case 3:
                boolean streams = InputStream.class.equals(p[0]) && OutputStream.class.equals(p[1]) && isContext(p[2]);
                return streams ? streamMethod(clazz, m, true, true, true) : null;
            default:
                return null;
        }
    }

    private static RequestStreamHandler streamMethod(Class<?> clazz, Method m, boolean in, boolean out, boolean ctx) {
        if (!isVoid(m.getReturnType())) {
            System.err.println("Will ignore return type " + m.getReturnType() + " on byte stream handler");
        }
        return new StreamMethodHandler(m, instanceFor(clazz, m), in, out, ctx);
    }

    private static RequestStreamHandler pojoMethod(Class<?> clazz, Method m, Type input, Type output, boolean ctx,
                                                   ClassLoader loader) {
        return pojo(new PojoMethodHandler(m, instanceFor(clazz, m), input != null, ctx), input, output, loader);
    }

    private static RequestStreamHandler pojo(RequestHandler<?, ?> handler, Type input, Type output, ClassLoader loader) {
        try {
            // Codecs are built now, not on the first event, so init pays for Jackson's set-up (when needed) as on AWS.
            JsonCodec in = input == null ? null : JsonCodec.forType(input, loader);
            JsonCodec out = isVoid(output) ? null : JsonCodec.forType(output, loader);
            return new PojoStreamAdapter(handler, in, out);
        } catch (HandlerLoadException e) {
            throw e;
        } catch (Throwable t) {
            throw new HandlerLoadException(ErrorReport.badFunctionCode(ErrorReport.messageOf(t), t));
        }
    }

    private static Object instanceFor(Class<?> clazz, Method m) {
        return Modifier.isStatic(m.getModifiers()) ? null : instantiate(clazz);
    }

    private static Object instantiate(Class<?> clazz) {
        Constructor<?> constructor;
        try {
            constructor = clazz.getConstructor();
        } catch (NoSuchMethodException e) {
            Exception reason = clazz.getEnclosingClass() != null && !Modifier.isStatic(clazz.getModifiers())
                    ? new Exception("Class " + clazz.getName() + " cannot be instantiated because it is a non-static inner class")
                    : new Exception("Class " + clazz.getName() + " has no public zero-argument constructor", e);
            throw new HandlerLoadException(ErrorReport.badFunctionCode(reason.getMessage(), reason));
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new HandlerLoadException(ErrorReport.badFunctionCode(ErrorReport.messageOf(cause), cause));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new HandlerLoadException(ErrorReport.badFunctionCode(ErrorReport.messageOf(e), e));
        }
    }

    private static boolean isContext(Type t) {
        return Context.class.equals(t);
    }

    private static boolean isVoid(Type t) {
        return Void.TYPE.equals(t) || (t instanceof Class<?> c && Void.class.isAssignableFrom(c));
    }

    private static HandlerLoadException fault(String message) {
        return new HandlerLoadException(ErrorReport.badFunctionCode(message));
    }

    /** Non-bridge before bridge; then longer signatures first, a trailing Context counting as one more. */
    private static final class OverloadPriority implements Comparator<Method> {
        @Override
        public int compare(Method a, Method b) {
            if (a.isBridge() != b.isBridge()) {
                return a.isBridge() ? 1 : -1;
            }
            return Integer.compare(weight(b), weight(a));
        }

        private static int weight(Method m) {
            Class<?>[] p = m.getParameterTypes();
            return p.length + (p.length > 0 && isContext(p[p.length - 1]) ? 1 : 0);
        }
    }
}
