package aiops.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeepAliveConnectionTest {

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
    void readsChunkedAnswersAndTheirStatus() throws Exception {
        try (KeepAliveConnection c = new KeepAliveConnection(uri("/chunked"), "Bearer k1", "{}")) {
            assertThat(c.post()).isEqualTo(202);
            assertThat(c.post()).isEqualTo(503);
            assertThat(c.post()).isEqualTo(202);
        }
        assertThat(remotes).hasSize(3).containsOnly(remotes.get(0));
    }
}
