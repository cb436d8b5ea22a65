package dev.thunk.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StemCellTest {
    @TempDir
    Path dir;

    private StemCell cellThatPrinted(String output) throws Exception {
        StemCell cell = new StemCell("c1", new StemCells.Key(java.util.List.of("true"), 128, 512), dir.resolve("c1"));
        cell.createDirectories();
        Files.writeString(cell.output(), output);
        return cell;
    }

    @Test
    void aCellThatOnlySaidItIsReadyPrintedNothingUnexpected() throws Exception {
        StemCell cell = cellThatPrinted(StemCell.READY);
        assertEquals("", cell.unexpectedOutput());
        assertTrue(cell.ready());
    }

    @Test
    void whatACellPrintedBesidesReadyIsReportedBeforeBindingEmptiesIt() throws Exception {
        StemCell cell = cellThatPrinted("thunk-runtime-java: stem cell warm-up: 1 of 4 training handlers failed\n"
                + StemCell.READY);
        assertEquals("thunk-runtime-java: stem cell warm-up: 1 of 4 training handlers failed", cell.unexpectedOutput());
        assertTrue(cell.ready(), "it is still bound");
    }
}
