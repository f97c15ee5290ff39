package aiops.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.ReplayRun;
import aiops.avro.ReplayStatus;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.kafka.TopicAdmin;
import aiops.common.kafka.TopicSnapshot;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Records written before a restart of the whole stack still decode after it: the registry keeps its schema ids. */
@Tag("integration")
@Timeout(180)
class StackRestartIT {

    @Test
    void avroRecordsWrittenBeforeARestartShouldDecodeAfterIt(@TempDir final Path home) throws Exception {
        final AiopsConfig config = AiopsConfig.of(Map.of(), new Properties(), null).with(CoreConfig.HOME, home.toString());
        final ReplayRun sent = ReplayRun.newBuilder().setRunId("before-restart").setSource("test")
                .setStatus(ReplayStatus.FINISHED).setSpeed("max").setStartedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        try (EmbeddedStack stack = EmbeddedStack.start(config)) {
            try (Admin admin = Admin.create(stack.kafkaSettings().adminProps())) {
                TopicAdmin.ensureTopics(admin, List.of(Topics.REPLAYS), 1);
            }
            try (Serde<ReplayRun> serde = AvroSerdes.valueSerde(Topics.REPLAYS, stack.kafkaSettings().registryConfig());
                 KafkaProducer<String, ReplayRun> producer = new KafkaProducer<>(
                         stack.kafkaSettings().producerProps("restart-it"), new StringSerializer(), serde.serializer())) {
                producer.send(new ProducerRecord<>(Topics.REPLAYS.name(), sent.getRunId(), sent)).get();
            }
        }

        try (EmbeddedStack again = EmbeddedStack.start(config)) {
            assertThat(TopicSnapshot.values(again.kafkaSettings(), Topics.REPLAYS)).containsExactly(sent);
        }
    }
}
