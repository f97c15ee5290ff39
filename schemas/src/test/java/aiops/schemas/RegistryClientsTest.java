package aiops.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import aiops.avro.AlertEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.RandomData;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class RegistryClientsTest {

    static Map<String, Object> config(final String url) {
        return AvroSerdes.registryConfig(url);
    }

    @Test
    void shouldShareOneClientPerRegistrySettings() {
        final var first = RegistryClients.forConfig(config("http://127.0.0.1:1/apis/registry/v3"));
        final Map<String, Object> withKafkaSettings = new HashMap<>(config("http://127.0.0.1:1/apis/registry/v3"));
        withKafkaSettings.put("bootstrap.servers", "127.0.0.1:9092");

        assertThat(RegistryClients.forConfig(withKafkaSettings)).isSameAs(first);
        assertThat(RegistryClients.forConfig(config("http://127.0.0.1:2/apis/registry/v3"))).isNotSameAs(first);
    }

    @Test
    void shouldKeepClientsWithDifferentCredentialsApart() {
        final Map<String, Object> alice = new HashMap<>(config("http://127.0.0.1:3/apis/registry/v3"));
        alice.put("apicurio.registry.auth.username", "alice");
        alice.put("apicurio.registry.auth.password", "a-secret");
        final Map<String, Object> bob = new HashMap<>(alice);
        bob.put("apicurio.registry.auth.username", "bob");

        assertThat(RegistryClients.forConfig(alice)).isNotSameAs(RegistryClients.forConfig(bob))
                .isSameAs(RegistryClients.forConfig(new HashMap<>(alice)));
    }

    @Test
    void shouldBuildEverySerdeOfOneRegistryOnTheSameClient() {
        final Map<String, Object> registry = config("http://127.0.0.1:4/apis/registry/v3");
        final int before = RegistryClients.count();
        for (int i = 0; i < 20; i++) {
            AvroSerdes.valueSerde(Topics.INCIDENTS, registry).close();
            AvroSerdes.valueSerde(Topics.ALERTS_RAW, registry).close();
        }
        assertThat(RegistryClients.count()).isEqualTo(before + 1);
    }

    @Test
    void shouldFailASchemaLookupThatTheRegistryNeverAnswersInsteadOfWaitingForGood() throws Exception {
        final List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            final Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        final Socket socket = silent.accept();
                        synchronized (held) {
                            held.add(socket);
                        }
                        drain(socket.getInputStream());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-registry");
            acceptor.setDaemon(true);
            acceptor.start();
            final Map<String, Object> registry = new HashMap<>(
                    config("http://127.0.0.1:" + silent.getLocalPort() + "/apis/registry/v3"));
            registry.put(RegistryClients.IDLE_TIMEOUT_MS, "300");
            registry.put("apicurio.registry.retry-count", "0");
            final AlertEvent alert = sample();

            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (Serde<AlertEvent> serde = AvroSerdes.valueSerde(Topics.ALERTS_RAW, registry)) {
                    assertThatThrownBy(() -> serde.serializer().serialize(Topics.ALERTS_RAW.name(), alert))
                            .isInstanceOf(RuntimeException.class);
                }
            });
            synchronized (held) {
                assertThat(held).as("one connection per attempt reached the silent registry")
                        .hasSize(RetryingRegistryClient.ATTEMPTS);
            }
        } finally {
            synchronized (held) {
                for (final Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void shouldRetryALookupWhoseConnectionTheRegistryClosedBeforeAnswering() throws Exception {
        final String schema = "{\"type\":\"string\"}";
        final AtomicInteger connections = new AtomicInteger();
        try (ServerSocket dropsFirst = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            final Thread server = new Thread(() -> {
                while (!dropsFirst.isClosed()) {
                    try (Socket socket = dropsFirst.accept()) {
                        readRequestHead(socket.getInputStream());
                        if (connections.incrementAndGet() > 1) {
                            final byte[] body = schema.getBytes(StandardCharsets.UTF_8);
                            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                            socket.getOutputStream().write(body);
                            socket.getOutputStream().flush();
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "registry-dropping-its-first-connection");
            server.setDaemon(true);
            server.start();
            final var client = RegistryClients.forConfig(
                    config("http://127.0.0.1:" + dropsFirst.getLocalPort() + "/apis/registry/v3"));

            final String found = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> client.getSchemaByContentId(1L));

            assertThat(found).isEqualTo(schema);
            assertThat(connections).as("the dropped attempt and the retry").hasValue(2);
        }
    }

    private static void readRequestHead(final InputStream in) throws IOException {
        int matched = 0;
        final byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == end.length) {
                return;
            }
        }
    }

    private static void drain(final InputStream in) {
        final Thread reader = new Thread(() -> {
            try {
                while (in.read(new byte[4096]) >= 0) {
                    // read and never answer
                }
            } catch (IOException e) {
                // closed
            }
        }, "silent-registry-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private static AlertEvent sample() throws IOException {
        AvroSerdes.trustGeneratedClasses();
        final GenericRecord generic = (GenericRecord) new RandomData(Topics.ALERTS_RAW.valueSchema(), 1, 7L)
                .iterator().next();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<>(Topics.ALERTS_RAW.valueSchema()).write(generic, encoder);
        encoder.flush();
        return new SpecificDatumReader<>(AlertEvent.class)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }
}
