package aiops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.avro.ServiceEntry;
import aiops.common.kafka.CompactedTopicView;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.embedded.junit.TcpForwarder;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readers that meet records whose schema they cannot look up yet, because the registry is unreachable, must not
 * treat them as unreadable: a snapshot fails instead of leaving them out, and a view waits and then has them.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(EmbeddedStackExtension.class)
class RegistryUnreachableReadersIT {

    @Test
    void shouldNotLeaveOutRecordsWhoseSchemaCannotBeLookedUpYet(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final List<String> names = List.of("a-" + run, "b-" + run);
        try (Serde<ServiceEntry> serde = AvroSerdes.valueSerde(Topics.CATALOG, kafka.registryConfig());
             KafkaProducer<String, ServiceEntry> producer = new KafkaProducer<>(kafka.producerProps("readers-it"),
                     new StringSerializer(), serde.serializer())) {
            for (final String name : names) {
                producer.send(new ProducerRecord<>(Topics.CATALOG.name(), name, ServiceEntry.newBuilder()
                        .setName(name).setOwner("team-" + run).setTier(2).setDependsOn(List.of())
                        .setUpdatedAt(Instant.now()).build())).get();
            }
        }
        final int port = TcpForwarder.freePort();
        final URI registry = URI.create(kafka.registryUrl());
        final KafkaSettings viaPort = new KafkaSettings(kafka.bootstrapServers(),
                "http://127.0.0.1:" + port + registry.getPath(), kafka.clientOverrides());

        assertThatThrownBy(() -> TopicSnapshot.values(viaPort, Topics.CATALOG))
                .hasMessageContaining("schema registry is unavailable");

        try (CompactedTopicView<ServiceEntry> view = CompactedTopicView.start(viaPort, Topics.CATALOG)) {
            assertThat(view.awaitCaughtUp(Duration.ofSeconds(3))).as("caught up without the registry").isFalse();
            assertThat(view.snapshot()).doesNotContainKeys(names.toArray(String[]::new));

            try (TcpForwarder ignored = TcpForwarder.start(port, registry.getHost(), registry.getPort())) {
                assertThat(view.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                assertThat(view.snapshot()).containsKeys(names.toArray(String[]::new));
                assertThat(TopicSnapshot.values(viaPort, Topics.CATALOG)).extracting(ServiceEntry::getName)
                        .containsAll(names);
            }
        }
    }
}
