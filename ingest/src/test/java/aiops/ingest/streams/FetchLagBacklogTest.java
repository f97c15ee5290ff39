package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.schemas.Topics;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class FetchLagBacklogTest {

    private static final String CONSUMER = "app-1b2c-StreamThread-1-consumer";
    private final FetchLagBacklog backlog = new FetchLagBacklog("app");

    private static Map<MetricName, Metric> lag(final String client, final String topic, final double value) {
        final MetricName name = new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", client, "topic", topic, "partition", "0"));
        return Map.of(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    @Test
    void lagOnTheRawAlertsOrTheCorrelatorInputShouldCount() {
        assertThat(backlog.anyLag(lag(CONSUMER, Topics.ALERTS_RAW.name(), 500))).isTrue();
        assertThat(backlog.anyLag(lag(CONSUMER, "app-correlation-repartition", 2))).isTrue();
    }

    @Test
    void aTransactionMarkerOrAnUnknownValueShouldNotCount() {
        assertThat(backlog.anyLag(lag(CONSUMER, Topics.ALERTS_RAW.name(), 1))).isFalse();
        assertThat(backlog.anyLag(lag(CONSUMER, Topics.ALERTS_RAW.name(), Double.NaN))).isFalse();
    }

    @Test
    void otherTopicsAndOtherConsumersShouldNotCount() {
        assertThat(backlog.anyLag(lag(CONSUMER, Topics.LOGS_RAW.name(), 500))).isFalse();
        assertThat(backlog.anyLag(lag(CONSUMER, "other-correlation-repartition", 500))).isFalse();
        assertThat(backlog.anyLag(lag("app-1b2c-StreamThread-1-restore-consumer", Topics.ALERTS_RAW.name(), 500)))
                .isFalse();
        assertThat(backlog.anyLag(lag("app-1b2c-global-consumer", Topics.ALERTS_RAW.name(), 500))).isFalse();
    }
}
