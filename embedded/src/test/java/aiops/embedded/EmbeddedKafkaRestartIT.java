package aiops.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker keeps what it acknowledged, committed transactions and group offsets across a restart. */
@Tag("integration")
@Timeout(120)
class EmbeddedKafkaRestartIT {

    @Test
    void shouldKeepAcknowledgedRecordsTransactionsAndOffsetsAcrossARestart(@TempDir final Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            final String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("restart", Optional.of(1), Optional.empty()))).all().get();
            }
            try (KafkaProducer<String, String> producer = producer(bootstrap, null)) {
                producer.send(new ProducerRecord<>("restart", "k", "acked")).get();
            }
            try (KafkaProducer<String, String> tx = producer(bootstrap, "restart-tx")) {
                tx.initTransactions();
                tx.beginTransaction();
                tx.send(new ProducerRecord<>("restart", "k", "committed"));
                tx.commitTransaction();
                tx.beginTransaction();
                tx.send(new ProducerRecord<>("restart", "k", "aborted"));
                tx.flush();
                tx.abortTransaction();
            }
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.commitSync(Map.of(new TopicPartition("restart", 0), new OffsetAndMetadata(1)));
            }

            kafka.close();
            assertThat(kafka.isRunning()).isFalse();
            kafka.restart();

            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of("restart"));
                final List<String> values = new ArrayList<>();
                final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    for (final ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
                assertThat(values).as("resumes after the committed offset, skips the aborted write")
                        .containsExactly("committed");
            }
        }
    }

    private static KafkaProducer<String, String> producer(final String bootstrap, final String transactionalId) {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(final String bootstrap) {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-group");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
