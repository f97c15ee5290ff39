package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import aiops.avro.AlertEvent;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Headers;
import aiops.schemas.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** The deserialization handler fed the exceptions a real registry-backed deserializer throws. */
class DeadLettersTest {

    static final byte[] FRAMED = {0, 0, 0, 0, 42, 2, 'x'};

    static RuntimeException failureDecoding(final String registryUrl, final byte[] bytes) {
        final Map<String, Object> config = new HashMap<>(AvroSerdes.registryConfig(registryUrl));
        config.put("apicurio.registry.retry-count", "0");
        try (Serde<AlertEvent> serde = AvroSerdes.valueSerde(Topics.ALERTS_RAW, config)) {
            return catchThrowableOfType(RuntimeException.class,
                    () -> serde.deserializer().deserialize(Topics.ALERTS_RAW.name(), bytes));
        }
    }

    static DeserializationExceptionHandler.Response handle(final byte[] value, final Exception failure) {
        final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(Topics.ALERTS_RAW.name(), 3, 17L,
                "fp-1".getBytes(StandardCharsets.UTF_8), value);
        return new DeadLetters.OnDeserialization().handleError(new Context(record), record, failure);
    }

    @Test
    void shouldFailTheTaskRatherThanDeadLetterARecordWhoseSchemaTheRegistryCouldNotBeAskedFor() throws IOException {
        final int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        final RuntimeException failure = failureDecoding("http://127.0.0.1:" + closed + "/apis/registry/v3", FRAMED);

        final DeserializationExceptionHandler.Response response = handle(FRAMED, failure);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldDeadLetterBytesThatAreNotARecordAndGoOn() {
        final byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
        final RuntimeException failure = failureDecoding("http://127.0.0.1:9/apis/registry/v3", poison);

        final DeserializationExceptionHandler.Response response = handle(poison, failure);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo(Topics.DLQ.name());
            assertThat(dead.value()).isEqualTo(poison);
            assertThat(new String(dead.headers().lastHeader(Headers.DLQ_SOURCE_OFFSET).value(),
                    StandardCharsets.UTF_8)).isEqualTo("17");
        });
    }

    private record Context(ConsumerRecord<byte[], byte[]> record) implements ErrorHandlerContext {
        @Override
        public String topic() {
            return record.topic();
        }

        @Override
        public int partition() {
            return record.partition();
        }

        @Override
        public long offset() {
            return record.offset();
        }

        @Override
        public org.apache.kafka.common.header.Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "source";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, record.partition());
        }

        @Override
        public long timestamp() {
            return record.timestamp();
        }

        @Override
        public byte[] sourceRawKey() {
            return record.key();
        }

        @Override
        public byte[] sourceRawValue() {
            return record.value();
        }
    }
}
