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
