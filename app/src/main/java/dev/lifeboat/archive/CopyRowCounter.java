package dev.lifeboat.archive;

/**
 * Counts the rows of COPY text data: newline-terminated lines up to the {@code \.} end marker
 * that pg_dump writes after the data (a row of a table with no columns is an empty line, and
 * counts). Only the first two bytes of a line decide whether it is the marker, so the scan
 * for newlines is a tight loop.
 */
final class CopyRowCounter {
    private long lines;
    private int lineLength;
    private boolean lineIsMarkerSoFar = true;
    private boolean ended;

    void accept(byte[] buf, int len) {
        accept(buf, 0, len);
    }

    void accept(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && !ended) {
            if (lineLength < 3) {
                byte b = buf[i++];
                if (b == '\n') {
                    endLine();
                    continue;
                }
                if (lineIsMarkerSoFar && !((lineLength == 0 && b == '\\') || (lineLength == 1 && b == '.'))) {
                    lineIsMarkerSoFar = false;
                }
                lineLength++;
                continue;
            }
            int j = i;
            while (j < end && buf[j] != '\n') j++;
            if (j == end) {
                i = end;
                break;
            }
            i = j + 1;
            endLine();
        }
    }

    private void endLine() {
        if (lineLength == 2 && lineIsMarkerSoFar) {
            ended = true;
        } else {
            lines++;
        }
        lineLength = 0;
        lineIsMarkerSoFar = true;
    }

    long rows() {
        return lines;
    }
}
