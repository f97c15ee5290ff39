package aiops.ledger;

import aiops.avro.BudgetState;
import aiops.avro.LlmUsage;
import aiops.avro.NotificationEvent;
import aiops.common.kafka.DbOffsetConsumer;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code aiops.llm.usage} into the append-only ledger, exactly once (rows and offsets in one database transaction,
 * duplicates refused by usage id), priced at the price in force when each call happened. After each batch, and at
 * least every {@code budgetInterval}, every budget is evaluated: changed states go to the compacted
 * {@code aiops.budget} (which the analyzer reads), and the first time a period crosses the soft ratio or the limit a
 * notice goes to {@code aiops.notifications}.
 */
public final class CostLedgerWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CostLedgerWriter.class);

    private final DataSource db;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final BudgetEvaluator evaluator;
    private final Duration budgetInterval;
    private final Counter priceMissing;
    private final Counter inserted;
    private final Map<String, BudgetState> published = new HashMap<>();
    private final DbOffsetConsumer<LlmUsage> consumer;
    private long lastEvaluation;

    private CostLedgerWriter(final KafkaSettings kafka, final DataSource db, final String group, final int maxBatch,
                             final Duration budgetInterval, final Clock clock, final MeterRegistry metrics) {
        this.db = db;
        this.evaluator = new BudgetEvaluator(clock);
        this.budgetInterval = budgetInterval;
        this.producer = new KafkaProducer<>(kafka.producerProps(group + "-budget"), new StringSerializer(),
                serializer(kafka));
        this.priceMissing = Counter.builder("aiops.ledger.price.missing").register(metrics);
        this.inserted = Counter.builder("aiops.ledger.rows").register(metrics);
        this.consumer = new DbOffsetConsumer<>(kafka, Topics.LLM_USAGE, group, Ledger.OWNER, db, maxBatch, this::write,
                this::afterCommit);
    }

    public static CostLedgerWriter start(final KafkaSettings kafka, final DataSource db, final LedgerSettings settings,
                                         final MeterRegistry metrics) {
        final CostLedgerWriter writer = new CostLedgerWriter(kafka, db, settings.groupId(), settings.maxBatch(),
                settings.budgetInterval(), Clock.systemUTC(), metrics);
        writer.consumer.start();
        return writer;
    }

    @SuppressWarnings("unchecked")
    private static Serializer<SpecificRecord> serializer(final KafkaSettings kafka) {
        return (Serializer<SpecificRecord>) (Serializer<?>) AvroSerdes.valueSerde(Topics.BUDGET, kafka.registryConfig())
                .serializer();
    }

    public boolean isHealthy() {
        return consumer.isHealthy();
    }

    /** Usage records consumed and committed with their offsets (duplicates included). */
    public long recordsCommitted() {
        return consumer.committedRecords();
    }

    private void write(final Connection c, final List<LlmUsage> usages) throws SQLException {
        final LedgerBatch.Result result = LedgerBatch.insert(c, usages);
        inserted.increment(result.inserted());
        if (result.priceMissing() > 0) {
            priceMissing.increment(result.priceMissing());
            LOG.warn("{} ledger rows without a price for their model; kept with cost null (see aiops prices set)",
                    result.priceMissing());
        }
    }

    private void afterCommit(final List<LlmUsage> batch) {
        final long now = System.nanoTime();
        if (batch.isEmpty() && now - lastEvaluation < budgetInterval.toNanos()) {
            return;
        }
        lastEvaluation = now;
        try (Connection c = db.getConnection()) {
            for (final BudgetEvaluator.Standing s : evaluator.evaluate(c)) {
                publish(s.state());
                if (s.noticeLevel() != null && BudgetEvaluator.noticeDue(c, s.state(), s.noticeLevel())) {
                    // Sent before it is recorded: after a crash in between it is sent again with the same id.
                    final NotificationEvent notice = BudgetEvaluator.notice(s.state(), s.noticeLevel());
                    producer.send(new ProducerRecord<>(Topics.NOTIFICATIONS.name(), s.state().getScope(), notice)).get();
                    BudgetEvaluator.recordNotice(c, s.state(), s.noticeLevel());
                    LOG.warn("{}", notice.getTitle());
                }
            }
        } catch (final SQLException | java.util.concurrent.ExecutionException e) {
            LOG.warn("budget evaluation failed, retried after the next batch: {}", e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(final BudgetState state) throws InterruptedException, java.util.concurrent.ExecutionException {
        final String key = state.getScope() + "/" + state.getPeriod();
        final BudgetState before = published.get(key);
        if (before != null && before.getState() == state.getState() && before.getSpentUsd().equals(state.getSpentUsd())
                && before.getLimitUsd().equals(state.getLimitUsd()) && before.getPeriodStart().equals(state.getPeriodStart())) {
            return;
        }
        producer.send(new ProducerRecord<>(Topics.BUDGET.name(), state.getScope(), state)).get();
        published.put(key, state);
    }

    /** Stops as a crash would, for fault tests. */
    public void kill() throws InterruptedException {
        consumer.kill();
        producer.close(Duration.ZERO);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.close();
        producer.close(Duration.ofSeconds(5));
    }
}
