package aiops.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.analyzer.llm.LlmSettings;
import aiops.avro.Incident;
import aiops.avro.IncidentState;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The assistant's index across a crash: every incident version indexed once, none lost, the newest kept. */
@Tag("integration")
@Timeout(180)
@ExtendWith(EmbeddedStackExtension.class)
class OpsIndexIT {

    static final int INCIDENTS = 40;

    @Test
    void shouldIndexEveryVersionExactlyOnceThroughAKillAndARestart(final EmbeddedStack stack) throws Exception {
        final OpsFixture f = new OpsFixture(stack);
        final AssistantSettings settings = AssistantSettings.defaults().withGroupId("asst-idx-" + f.run);
        final LlmSettings offline = LlmSettings.from(aiops.common.config.AiopsConfig.of(Map.of(), new Properties(), null));
        final String like = "'inc-" + f.run + "-%'";
        f.produce(Topics.INCIDENTS, versions(f, 1, 2));
        final AssistantService crashed = AssistantService.start(f.kafka, f.db, settings, offline,
                new SimpleMeterRegistry(), "it", true);
        await().atMost(Duration.ofSeconds(60)).until(() -> f.count("SELECT count(*) FROM assistant_incident_versions"
                + " WHERE incident_id LIKE " + like) > 0);
        f.produce(Topics.INCIDENTS, versions(f, 3, 3));
        crashed.kill();
        f.produce(Topics.INCIDENTS, versions(f, 4, 5));

        try (AssistantService restarted = AssistantService.start(f.kafka, f.db, settings, offline,
                new SimpleMeterRegistry(), "it", true)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> f.count("SELECT count(*) FROM assistant_incidents"
                    + " WHERE incident_id LIKE " + like + " AND version = 5") == INCIDENTS);
            assertThat(f.count("SELECT count(*) FROM assistant_incident_versions WHERE incident_id LIKE " + like))
                    .as("five versions of each, none lost, none twice").isEqualTo(5L * INCIDENTS);
            assertThat(f.count("SELECT count(*) FROM assistant_incidents WHERE incident_id LIKE " + like
                    + " AND state = 'RESOLVED'")).isEqualTo(INCIDENTS);
            assertThat(restarted.isHealthy()).isTrue();
        }
    }

    static List<Incident> versions(final OpsFixture f, final int from, final int to) {
        final List<Incident> out = new ArrayList<>();
        final Instant t0 = Instant.now().minusSeconds(3600);
        for (int v = from; v <= to; v++) {
            for (int i = 0; i < INCIDENTS; i++) {
                out.add(f.incident("inc-" + f.run + "-" + i, v, v == 5 ? IncidentState.RESOLVED : IncidentState.UPDATED,
                        t0.plusSeconds(60L * v), null));
            }
        }
        return out;
    }
}
