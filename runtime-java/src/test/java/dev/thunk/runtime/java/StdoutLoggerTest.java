package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdoutLoggerTest {

    @Test
    void everyCallEndsItsLineAsAwsFramesEachCallAsOneEvent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StdoutLogger logger = new StdoutLogger(new PrintStream(bytes, true, StandardCharsets.UTF_8), "INFO");
        logger.log("plain");
        logger.log("ended\n");
        logger.log("é".getBytes(StandardCharsets.UTF_8));
        logger.log("bytes ended\n".getBytes(StandardCharsets.UTF_8));
        logger.log("levelled", LogLevel.WARN);
        logger.log("dropped", LogLevel.DEBUG);
        logger.log((String) null);
        logger.log("");
        assertEquals("plain\nended\né\nbytes ended\n[WARN] levelled\nnull\n\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
