package dev.thunk.bench;

import dev.thunk.server.ThunkServer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's stem cells as its {@code describe()} line gives them: warm and waiting ({@code ready}), waiting
 * whether warm or not ({@code idle}), still starting, and bound so far. All zero without stem cells.
 */
record StemCellCounts(long ready, long idle, long starting, long bound) {
    private static final Pattern LINE = Pattern.compile(
            "^stem cells: ready=(\\d+), idle=(\\d+), starting=(\\d+), bound=(\\d+)");

    static StemCellCounts of(ThunkServer server) {
        for (String line : server.engine().describe()) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                return new StemCellCounts(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
            }
        }
        return new StemCellCounts(0, 0, 0, 0);
    }

    /** No cell is starting or warming up: no runtime process is competing for the cores. */
    boolean quiet() {
        return starting == 0 && ready == idle;
    }
}
