package aiops.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Conversions;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("integration")
@Timeout(120)
@ExtendWith(EmbeddedStackExtension.class)
class AvroRoundTripIT {

    static List<TopicSpec<?>> avroTopics() {
        return Topics.ALL.stream().filter(t -> t.valueType() != null).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avroTopics")
    void shouldRoundTripARecordOfEverySchemaThroughTheBrokerAndRegistry(final TopicSpec<?> topic,
                                                                       final EmbeddedStack stack) throws Exception {
        roundTrip(topic, stack);
    }

    @Test
    void shouldWriteTheConfluentWireFormatAndRegisterTheSchema(final EmbeddedStack stack) throws Exception {
        final String key = "wire-" + UUID.randomUUID();
        final SpecificRecord sent = sample(Topics.ALERTS_RAW, 7);
        final RecordMetadata meta = produce(Topics.ALERTS_RAW, key, sent, stack);

        final byte[] raw = readRaw(meta, stack);

        assertThat(raw[0]).as("magic byte").isZero();
        assertThat(raw.length).isGreaterThan(5);
        final HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.registryUrl().replace("/apis/registry/v3", "/apis/ccompat/v7/subjects")))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.body()).contains(Topics.ALERTS_RAW.name());
    }

    private static <V extends SpecificRecord> void roundTrip(final TopicSpec<V> topic, final EmbeddedStack stack)
            throws Exception {
        final String key = "rt-" + UUID.randomUUID();
        final V sent = sample(topic, key.hashCode());
        final RecordMetadata meta = produce(topic, key, sent, stack);

        try (Serde<V> serde = AvroSerdes.valueSerde(topic, stack.kafkaSettings().registryConfig());
             KafkaConsumer<String, V> consumer = new KafkaConsumer<>(stack.kafkaSettings().consumerProps(null),
                     new StringDeserializer(), serde.deserializer())) {
            final TopicPartition tp = new TopicPartition(meta.topic(), meta.partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, meta.offset());
            final List<ConsumerRecord<String, V>> got = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertThat(got).as("record read back from %s", topic.name()).isNotEmpty();
            assertThat(got.get(0).key()).isEqualTo(key);
            final V received = got.get(0).value();
            assertThat(received.toString()).isEqualTo(sent.toString());
            assertThat(encode(received, topic)).isEqualTo(encode(sent, topic));
            assertThat(got.get(0).value()).isInstanceOf(topic.valueType());
        }
    }

    private static <V extends SpecificRecord> RecordMetadata produce(final TopicSpec<V> topic, final String key,
                                                                     final SpecificRecord value,
                                                                     final EmbeddedStack stack) throws Exception {
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, stack.kafkaSettings().registryConfig());
             KafkaProducer<String, V> producer = new KafkaProducer<>(stack.kafkaSettings().producerProps("it"),
                     new StringSerializer(), serde.serializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), key, topic.valueType().cast(value))).get();
        }
    }

    private static byte[] readRaw(final RecordMetadata meta, final EmbeddedStack stack) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(stack.kafkaSettings().consumerProps(null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final TopicPartition tp = new TopicPartition(meta.topic(), meta.partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, meta.offset());
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return r.value();
                }
            }
            throw new AssertionError("record at " + meta + " not readable");
        }
    }

    /** A random but valid record of the topic's schema, as the generated class. */
    static <V extends SpecificRecord> V sample(final TopicSpec<V> topic, final long seed) throws IOException {
        AvroSerdes.trustGeneratedClasses();
        final Schema schema = topic.valueSchema();
        final GenericRecord generic = (GenericRecord) new RandomData(schema, 1, seed).iterator().next();
        // Random bytes make decimals far beyond their declared precision, which the serializer rightly refuses.
        for (final Schema.Field field : schema.getFields()) {
            final Schema decimal = decimalBranch(field.schema());
            if (decimal != null && generic.get(field.pos()) != null) {
                final BigDecimal value = new BigDecimal(BigInteger.valueOf(Math.abs(seed % 1_000_000_000L)), 10);
                generic.put(field.pos(), new Conversions.DecimalConversion()
                        .toBytes(value, decimal, decimal.getLogicalType()));
            }
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<>(schema).write(generic, encoder);
        encoder.flush();
        return new SpecificDatumReader<>(topic.valueType())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    private static Schema decimalBranch(final Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().filter(s -> s.getLogicalType() instanceof LogicalTypes.Decimal)
                    .findFirst().orElse(null);
        }
        return schema.getLogicalType() instanceof LogicalTypes.Decimal ? schema : null;
    }

    /** Binary encoding with the generated class's own model, which knows the logical-type conversions. */
    private static <V extends SpecificRecord> byte[] encode(final V record, final TopicSpec<V> topic) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(topic.valueType()).write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}
