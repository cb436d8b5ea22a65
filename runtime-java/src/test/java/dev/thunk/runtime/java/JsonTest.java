package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void quotesAsGsonDoes() {
        StringBuilder sb = new StringBuilder();
        Json.quote("a\"b\\c\nd\te\u0001 <é>\u2028", sb);
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001 <é>\\u2028\"", sb.toString());
    }

    @Test
    void parsesObjectsArraysAndLiterals() {
        Object value = Json.parse(" {\"a\":[1,-2.5e3,true,false,null],\"b\":{\"c\":\"\\u0041\\n\"}} ");
        assertEquals(Map.of("a", Arrays.asList("1", "-2.5e3", true, false, null), "b", Map.of("c", "A\n")), value);
    }

    @Test
    void rejectsMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
    }

    @Test
    void errorReportLeavesAbsentFieldsOut() {
        ErrorReport report = ErrorReport.badFunctionCode("Invalid handler: `x'");
        assertEquals("{\"errorMessage\":\"Invalid handler: `x'\"}", new String(report.toJson(), StandardCharsets.UTF_8));
        assertEquals("Runtime.BadFunctionCode", report.category());
    }

    @Test
    void errorReportOfAThrowableCarriesTypeMessageAndFrames() {
        ErrorReport report = ErrorReport.ofThrowable(new IllegalArgumentException());
        assertEquals("java.lang.IllegalArgumentException", report.errorMessage());
        assertEquals("java.lang.IllegalArgumentException", report.errorType());
        assertEquals("Runtime.UserException", report.category());
        // This test class sits in the runtime's package, so every frame is cut.
        assertEquals(List.of(), List.of(report.stackTrace()));
    }
}
