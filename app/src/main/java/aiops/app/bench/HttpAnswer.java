package aiops.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The bytes of one HTTP/1.1 answer as they arrive, in any pieces: tells when the answer is complete (by
 * Content-Length or the last chunk of a chunked body) and its status. The load generator sends no request before
 * the last answer is complete, so nothing follows an answer on its connection.
 */
final class HttpAnswer {

    private byte[] bytes = new byte[1024];
    private int size;
    private int bodyStart = -1;
    private int status;
    private long length = -1;
    private boolean chunked;
    private boolean close;

    void reset() {
        size = 0;
        bodyStart = -1;
        status = 0;
        length = -1;
        chunked = false;
        close = false;
    }

    /** Whether the server said it closes the connection after this answer. */
    boolean closesConnection() {
        return close;
    }

    /** Adds {@code count} bytes; returns the status once the answer is complete, else 0. */
    int feed(final byte[] data, final int count) throws IOException {
        if (size + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + count));
        }
        final int from = Math.max(0, size - 3);
        System.arraycopy(data, 0, bytes, size, count);
        size += count;
        if (bodyStart < 0) {
            final int end = indexOf(from, "\r\n\r\n");
            if (end < 0) {
                return 0;
            }
            bodyStart = end + 4;
            readHead(new String(bytes, 0, end, StandardCharsets.ISO_8859_1));
        }
        return complete() ? status : 0;
    }

    private void readHead(final String head) throws IOException {
        final String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.") || lines[0].length() < 12) {
            throw new IOException("not an HTTP/1.x answer: " + lines[0]);
        }
        status = Integer.parseInt(lines[0].substring(9, 12));
        for (int i = 1; i < lines.length; i++) {
            final int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            final String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
    }

    private boolean complete() {
        if (!chunked) {
            return size - bodyStart >= Math.max(0, length);
        }
        int at = bodyStart;
        while (true) {
            final int lineEnd = indexOf(at, "\r\n");
            if (lineEnd < 0) {
                return false;
            }
            final String sizeLine = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            final int chunk = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (chunk == 0) {
                return size >= lineEnd + 4;
            }
            at = lineEnd + 2 + chunk + 2;
            if (at > size) {
                return false;
            }
        }
    }

    private int indexOf(final int from, final String what) {
        outer:
        for (int i = from; i <= size - what.length(); i++) {
            for (int j = 0; j < what.length(); j++) {
                if (bytes[i + j] != what.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
