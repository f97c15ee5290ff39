package aiops.app.runtime;

import aiops.common.kafka.TopicCounter;
import aiops.schemas.Topics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;

/**
 * What the pipeline holds, read back from the topics (read_committed) and tables themselves rather than from
 * counters kept along the way.
 */
public record PipelineCounts(int topics, long alertsIn, long logs, long metricWindows, long incidents, long analyses,
                             long llmCalls, long ledgerRows, long remediations, long notifications, long dlq) {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public long signals() {
        return alertsIn + logs + metricWindows;
    }

    public static PipelineCounts read(final EmbeddedRuntime runtime) throws Exception {
        final TopicCounter counter = new TopicCounter(runtime.kafka());
        final Set<String> names;
        try (Admin admin = Admin.create(runtime.kafka().adminProps())) {
            names = admin.listTopics().names().get();
        }
        final int topics = (int) names.stream().filter(n -> Topics.byName(n).isPresent()).count();
        return new PipelineCounts(topics,
                counter.count(Topics.ALERTS_RAW.name(), TIMEOUT).records(),
                counter.count(Topics.LOGS_RAW.name(), TIMEOUT).records(),
                counter.count(Topics.METRIC_WINDOWS.name(), TIMEOUT).records(),
                counter.count(Topics.INCIDENTS.name(), TIMEOUT).distinctKeys(),
                counter.count(Topics.ANALYSES.name(), TIMEOUT).records(),
                counter.count(Topics.LLM_USAGE.name(), TIMEOUT).records(),
                ledgerRows(runtime.dataSource()),
                counter.count(Topics.REMEDIATIONS.name(), TIMEOUT).records(),
                counter.count(Topics.NOTIFICATIONS.name(), TIMEOUT).records(),
                counter.count(Topics.DLQ.name(), TIMEOUT).records());
    }

    /** Reads until two consecutive readings, {@code settle} apart, agree. */
    public static PipelineCounts awaitStable(final EmbeddedRuntime runtime, final Duration settle) throws Exception {
        PipelineCounts previous = read(runtime);
        for (int i = 0; i < 20; i++) {
            Thread.sleep(settle.toMillis() + 500);
            final PipelineCounts current = read(runtime);
            if (current.equals(previous)) {
                return current;
            }
            previous = current;
        }
        return previous;
    }

    private static long ledgerRows(final DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM llm_usage_ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
