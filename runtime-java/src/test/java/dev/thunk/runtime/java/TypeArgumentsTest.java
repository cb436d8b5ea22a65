package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeArgumentsTest {

    static class Direct implements RequestHandler<String, Integer> {
        public Integer handleRequest(String input, Context context) {
            return 0;
        }
    }

    abstract static class Swapped<A, B> implements RequestHandler<B, A> {
    }

    static class ThroughSuperclass extends Swapped<Long, String> {
        public Long handleRequest(String input, Context context) {
            return 0L;
        }
    }

    interface StringHandler<O> extends RequestHandler<String, O> {
    }

    static class ThroughInterface implements StringHandler<List<String>> {
        public List<String> handleRequest(String input, Context context) {
            return List.of();
        }
    }

    @SuppressWarnings("rawtypes")
    static class Raw implements RequestHandler {
        public Object handleRequest(Object input, Context context) {
            return null;
        }
    }

    static class Open<T> implements RequestHandler<T, String> {
        public String handleRequest(T input, Context context) {
            return "";
        }
    }

    @Test
    void resolvesDirectArguments() {
        assertArrayEquals(new Type[] {String.class, Integer.class}, TypeArguments.of(Direct.class, RequestHandler.class));
    }

    @Test
    void substitutesThroughAGenericSuperclass() {
        assertArrayEquals(new Type[] {String.class, Long.class},
                TypeArguments.of(ThroughSuperclass.class, RequestHandler.class));
    }

    @Test
    void substitutesThroughAGenericSuperInterface() {
        Type[] types = TypeArguments.of(ThroughInterface.class, RequestHandler.class);
        assertEquals(String.class, types[0]);
        assertEquals("java.util.List<java.lang.String>", types[1].getTypeName());
    }

    @Test
    void rawImplementationHasNoArguments() {
        assertNull(TypeArguments.of(Raw.class, RequestHandler.class));
    }

    @Test
    void openVariablesStayVariables() {
        assertTrue(TypeArguments.of(Open.class, RequestHandler.class)[0] instanceof TypeVariable<?>);
    }
}
