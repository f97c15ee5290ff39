package aiops.ledger;

import static aiops.ledger.CostLedgerWriterIT.db;
import static aiops.ledger.CostLedgerWriterIT.deadLetters;
import static aiops.ledger.CostLedgerWriterIT.produce;
import static aiops.ledger.CostLedgerWriterIT.rows;
import static aiops.ledger.CostLedgerWriterIT.settings;
import static aiops.ledger.CostLedgerWriterIT.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.avro.LlmUsage;
import aiops.common.kafka.KafkaSettings;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.embedded.junit.TcpForwarder;
import aiops.schemas.Topics;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A writer that cannot reach the registry for a schema it has not seen must wait, not dead-letter good records: the
 * registry is reached through a port that refuses connections until a forwarder starts listening on it.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(EmbeddedStackExtension.class)
class LedgerRegistryOutageIT {

    @Test
    void shouldWaitForTheRegistryInsteadOfDeadLetteringRecordsItCannotDecodeYet(final EmbeddedStack stack)
            throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String service = "svc-" + run;
        final List<LlmUsage> calls = List.of(usage(run + "-a", service, "gpt-4o-mini", 100, 10, 0),
                usage(run + "-b", service, "gpt-4o-mini", 200, 20, 0), usage(run + "-c", service, "gpt-4o", 300, 30, 0));
        produce(kafka, Topics.LLM_USAGE, calls, LlmUsage::getUsageId);

        final int port = TcpForwarder.freePort();
        final URI registry = URI.create(kafka.registryUrl());
        final KafkaSettings viaPort = new KafkaSettings(kafka.bootstrapServers(),
                "http://127.0.0.1:" + port + registry.getPath(), kafka.clientOverrides());
        try (HikariDataSource ds = db(stack);
             CostLedgerWriter writer = CostLedgerWriter.start(viaPort, ds, settings(run, 100), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !writer.isHealthy());
            assertThat(rows(ds, service)).as("nothing written while the schema cannot be looked up").isZero();
            assertThat(deadLettered(kafka, run)).as("good records are not poison").isZero();

            try (TcpForwarder ignored = TcpForwarder.start(port, registry.getHost(), registry.getPort())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> rows(ds, service) == calls.size()
                        && writer.isHealthy());
            }
        }
        assertThat(deadLettered(kafka, run)).isZero();
    }

    static long deadLettered(final KafkaSettings kafka, final String run) {
        return deadLetters(kafka, run).size();
    }
}
