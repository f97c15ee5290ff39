package aiops.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import aiops.avro.AlertEvent;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** Real lookups through the registry client against a closed port and a stand-in registry answering an error. */
class RegistryFailuresTest {

    /** The Confluent framing: magic byte 0, a 4-byte schema id, then an Avro body. */
    static final byte[] FRAMED = {0, 0, 0, 0, 42, 2, 'x'};

    static Throwable decode(final String registryUrl, final byte[] bytes) {
        final Map<String, Object> config = new HashMap<>(AvroSerdes.registryConfig(registryUrl));
        config.put("apicurio.registry.retry-count", "0");
        try (Serde<AlertEvent> serde = AvroSerdes.valueSerde(Topics.ALERTS_RAW, config)) {
            return catchThrowable(() -> serde.deserializer().deserialize(Topics.ALERTS_RAW.name(), bytes));
        }
    }

    static Throwable decodeAgainst(final int status, final String body) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            final byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            return decode("http://127.0.0.1:" + server.getAddress().getPort() + "/apis/registry/v3", FRAMED);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldCallARegistryThatRefusesConnectionsUnavailable() throws IOException {
        final int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        final Throwable failure = decode("http://127.0.0.1:" + closed + "/apis/registry/v3", FRAMED);

        assertThat(failure).isNotNull();
        assertThat(RegistryFailures.isUnavailable(failure)).as("%s", failure).isTrue();
    }

    @Test
    void shouldCallARegistryAnsweringServerErrorsUnavailable() throws IOException {
        final Throwable failure = decodeAgainst(503, "{\"status\":503,\"title\":\"overloaded\"}");

        assertThat(failure).isNotNull();
        assertThat(RegistryFailures.isUnavailable(failure)).as("%s", failure).isTrue();
    }

    @Test
    void shouldCallAnIdTheRegistryDoesNotKnowPoison() throws IOException {
        final Throwable failure = decodeAgainst(404, "{\"status\":404,\"title\":\"No content with id '42' was found.\","
                + "\"name\":\"ContentNotFoundException\"}");

        assertThat(failure).isNotNull();
        assertThat(RegistryFailures.isUnavailable(failure)).as("%s", failure).isFalse();
    }

    @Test
    void shouldCallBytesWithoutTheMagicBytePoison() {
        final Throwable failure = decode("http://127.0.0.1:9/apis/registry/v3", new byte[] {7, 1, 2, 3, 4, 5});

        assertThat(failure).isNotNull();
        assertThat(RegistryFailures.isUnavailable(failure)).as("%s", failure).isFalse();
    }
}
