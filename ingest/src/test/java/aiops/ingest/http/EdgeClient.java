package aiops.ingest.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the edge, as a webhook sender would use it. */
final class EdgeClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    EdgeClient(final int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> post(final String path, final String body, final String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Status line and body of a raw exchange. */
    record Raw(int status, String body) {
    }

    /**
     * Sends only the headers of a POST declaring {@code contentLength} bytes, and reads the answer. A server that
     * refuses by the declared length answers at once; sending the body as well would race its answer against the
     * reset of a connection that still holds unread bytes.
     */
    Raw postHeadersOnly(final String path, final long contentLength, final String... headers) throws IOException {
        final URI uri = URI.create(base + path);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            final StringBuilder head = new StringBuilder("POST " + uri.getPath() + " HTTP/1.1\r\nHost: "
                    + uri.getHost() + ":" + uri.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + contentLength + "\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            socket.getOutputStream().write(head.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            final int status = Integer.parseInt(in.readLine().split(" ")[1]);
            int length = -1;
            boolean chunked = false;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                final String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            final StringBuilder body = new StringBuilder();
            if (chunked) {
                for (int size = Integer.parseInt(in.readLine().trim(), 16); size > 0;
                     size = Integer.parseInt(in.readLine().trim(), 16)) {
                    final char[] chunk = new char[size];
                    int read = 0;
                    while (read < size) {
                        read += in.read(chunk, read, size - read);
                    }
                    body.append(chunk);
                    in.readLine();
                }
            } else if (length >= 0) {
                for (int i = 0; i < length; i++) {
                    body.append((char) in.read());
                }
            } else {
                for (int c = in.read(); c >= 0; c = in.read()) {
                    body.append((char) c);
                }
            }
            return new Raw(status, body.toString());
        }
    }

    HttpResponse<String> get(final String path, final String... headers) {
        return send(request(path, headers).GET());
    }

    HttpResponse<String> delete(final String path, final String... headers) {
        return send(request(path, headers).DELETE());
    }

    private HttpRequest.Builder request(final String path, final String... headers) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        boolean contentType = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            contentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!contentType) {
            b.header("Content-Type", "application/json");
        }
        return b;
    }

    private HttpResponse<String> send(final HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String bearer(final String key) {
        return "Bearer " + key;
    }
}
