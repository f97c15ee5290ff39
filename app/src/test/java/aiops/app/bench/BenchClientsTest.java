package aiops.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generators of {@code aiops bench ingest} against a real HTTP server (the JDK's). */
class BenchClientsTest {

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> remotes = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fixed", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + "|" + exchange.getRequestHeaders().getFirst("Authorization"));
            remotes.add(exchange.getRemoteAddress().toString());
            final byte[] answer = "{\"accepted\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/closing", exchange -> {
            exchange.getRequestBody().readAllBytes();
            remotes.add(exchange.getRemoteAddress().toString());
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.getRequestBody().readAllBytes();
            remotes.add(exchange.getRemoteAddress().toString());
            exchange.sendResponseHeaders(calls.incrementAndGet() % 2 == 0 ? 503 : 202, 0);
            exchange.getResponseBody().write("{\"error\":{}}".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void sendsTheSameRequestOverOneConnectionAndReadsFixedLengthAnswers() throws Exception {
        try (KeepAliveConnection c = new KeepAliveConnection(uri("/fixed"), "Bearer k1", "{\"a\":\"\u00e9\"}")) {
            assertThat(c.post()).isEqualTo(202);
            assertThat(c.post()).isEqualTo(202);
            assertThat(c.post()).isEqualTo(202);
        }
        assertThat(bodies).containsOnly("{\"a\":\"\u00e9\"}|Bearer k1").hasSize(3);
        assertThat(remotes).hasSize(3).containsOnly(remotes.get(0));
    }

    @Test
    void selectorLoadKeepsEveryConnectionBusyAndCountsWhatTheServerAnswered() throws Exception {
        final LoadResult ok = load("/fixed", "Bearer k2", 3, 4);

        assertThat(ok.failures()).isZero();
        assertThat(ok.requests()).isEqualTo(bodies.size()).isGreaterThan(4);
        assertThat(ok.records()).isEqualTo(3 * ok.requests());
        assertThat(ok.latenciesNanos()).hasSize((int) ok.requests());
        assertThat(java.util.Arrays.stream(ok.latenciesNanos()).min().orElse(0)).isPositive();
        assertThat(bodies).containsOnly("{}|Bearer k2");
        assertThat(new java.util.HashSet<>(remotes)).as("one keep-alive connection each").hasSize(4);

        final LoadResult mixed = load("/chunked", "Bearer k2", 1, 2);
        assertThat(mixed.requests()).as("202s").isPositive();
        assertThat(mixed.failures()).as("503s").isPositive();
        assertThat(mixed.requests() + mixed.failures()).isEqualTo(calls.get());
    }

    @Test
    void selectorLoadReplacesAConnectionTheServerCloses() throws Exception {
        final LoadResult r = load("/closing", "Bearer k3", 1, 2);

        // Each connection serves one answer and is closed by the server, so more answers than connections and no
        // failure means every closed connection was replaced. (Client ports are reused, so addresses prove nothing.)
        assertThat(r.failures()).isZero();
        assertThat(r.requests()).isEqualTo(remotes.size()).isGreaterThan(2);
    }

    /** 300 ms of {@link SelectorLoad} posting {@code {}} to {@code path}. */
    private LoadResult load(final String path, final String authorization, final int recordsPerRequest,
                            final int connections) throws Exception {
        final URI target = uri(path);
        return SelectorLoad.run(target, SelectorLoad.post(target, authorization, "{}"), recordsPerRequest, connections,
                Duration.ofMillis(300));
    }

    @Test
    void httpAnswerFindsTheEndOfAnAnswerFedInAnyPieces() throws Exception {
        final byte[] fixed = ("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\ncontent-length: 14\r\n\r\n"
                + "{\"accepted\":1}").getBytes(StandardCharsets.US_ASCII);
        final byte[] chunked = ("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\nConnection: close"
                + "\r\n\r\n5;ext=1\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (final int piece : new int[] {1, 2, 7, 1000}) {
            assertThat(feed(fixed, piece)).isEqualTo(202);
            assertThat(feed(chunked, piece)).isEqualTo(503);
        }
        final HttpAnswer answer = new HttpAnswer();
        assertThat(answer.feed(fixed, fixed.length - 1)).as("one byte short").isZero();
        answer.reset();
        assertThat(answer.feed(chunked, chunked.length - 2)).as("last CRLF missing").isZero();
        assertThat(answer.closesConnection()).isTrue();
    }

    /** Feeds {@code bytes} in pieces of {@code piece}; returns the status, which must come with the last piece only. */
    private static int feed(final byte[] bytes, final int piece) throws Exception {
        final HttpAnswer answer = new HttpAnswer();
        int status = 0;
        for (int at = 0; at < bytes.length; at += piece) {
            assertThat(status).as("complete before its end").isZero();
            final byte[] part = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + piece));
            status = answer.feed(part, part.length);
        }
        return status;
    }

    @Test
    void readsChunkedAnswersAndTheirStatus() throws Exception {
        try (KeepAliveConnection c = new KeepAliveConnection(uri("/chunked"), "Bearer k1", "{}")) {
            assertThat(c.post()).isEqualTo(202);
            assertThat(c.post()).isEqualTo(503);
            assertThat(c.post()).isEqualTo(202);
        }
        assertThat(remotes).hasSize(3).containsOnly(remotes.get(0));
    }
}
