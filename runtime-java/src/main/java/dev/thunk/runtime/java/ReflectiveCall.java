package dev.thunk.runtime.java;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Calls a user method reflectively so that what the user's code threw reaches the caller unwrapped. */
final class ReflectiveCall {

    private ReflectiveCall() {
    }

    static Object invoke(Method method, Object target, Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause() != null ? e.getCause() : e);
        } catch (IllegalAccessException e) {
            throw sneaky(e);
        }
    }

    /** Rethrows a checked exception without declaring it: a handler may throw anything, and AWS reports it as is. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
