package dev.lifeboat.archive;

/**
 * Counts the rows of COPY text data: newline-terminated lines up to the {@code \.} end marker
 * that pg_dump writes after the data (a row of a table with no columns is an empty line, and
 * counts).
 */
final class CopyRowCounter {
    private long lines;
    private int lineLength;
    private boolean lineIsMarkerSoFar = true;
    private boolean ended;

    void accept(byte[] buf, int len) {
        for (int i = 0; i < len && !ended; i++) {
            byte b = buf[i];
            if (b == '\n') {
                if (lineLength == 2 && lineIsMarkerSoFar) {
                    ended = true;
                } else {
                    lines++;
                }
                lineLength = 0;
                lineIsMarkerSoFar = true;
            } else {
                if (lineIsMarkerSoFar && !((lineLength == 0 && b == '\\') || (lineLength == 1 && b == '.'))) {
                    lineIsMarkerSoFar = false;
                }
                lineLength++;
            }
        }
    }

    long rows() {
        return lines;
    }
}
