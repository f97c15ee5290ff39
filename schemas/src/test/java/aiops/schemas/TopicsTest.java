package aiops.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldNameEveryTopicOnceUnderTheAiopsPrefix() {
        final var names = new HashSet<String>();
        for (final TopicSpec<?> topic : Topics.ALL) {
            assertThat(names.add(topic.name())).as("duplicate %s", topic.name()).isTrue();
            assertThat(topic.name()).startsWith("aiops.");
        }
        assertThat(names).containsExactlyInAnyOrder("aiops.alerts.raw", "aiops.logs.raw", "aiops.metrics.windows",
                "aiops.catalog", "aiops.alerts.enriched", "aiops.incidents", "aiops.analyses", "aiops.llm.usage",
                "aiops.remediation.proposals", "aiops.remediations", "aiops.notifications", "aiops.budget", "aiops.analyzer.cache", "aiops.replays",
                "aiops.forecasts", "aiops.dlq");
    }

    @Test
    void shouldKeepTablesCompactedForever() {
        for (final TopicSpec<?> table : new TopicSpec<?>[] {Topics.CATALOG, Topics.INCIDENTS, Topics.BUDGET}) {
            assertThat(table.cleanupPolicy()).isEqualTo(TopicSpec.CleanupPolicy.COMPACT);
            assertThat(table.brokerConfig()).containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "-1");
        }
    }

    @Test
    void shouldExpireEventStreams() {
        assertThat(Topics.ALERTS_RAW.brokerConfig())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", Long.toString(7L * 24 * 3600 * 1000));
    }

    @Test
    void shouldFindTopicsByName() {
        assertThat(Topics.byName("aiops.incidents")).contains(Topics.INCIDENTS);
        assertThat(Topics.byName("nope")).isEmpty();
    }
}
