package aiops.ledger;

import aiops.avro.Incident;
import aiops.avro.RemediationEvent;
import aiops.common.kafka.DbOffsetConsumer;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;

/** The ledger process: the cost ledger writer and the dashboard projections, all with offsets in the database. */
public final class Ledger implements AutoCloseable {

    /** Owner of {@code ledger_consumer_offsets}, where the ledger's consumers commit offsets with their rows. */
    static final String OWNER = "ledger";

    private final CostLedgerWriter writer;
    private final DbOffsetConsumer<Incident> incidents;
    private final DbOffsetConsumer<RemediationEvent> remediations;

    private Ledger(final CostLedgerWriter writer, final DbOffsetConsumer<Incident> incidents,
                   final DbOffsetConsumer<RemediationEvent> remediations) {
        this.writer = writer;
        this.incidents = incidents;
        this.remediations = remediations;
    }

    /** Migrates the schema and starts consuming. */
    public static Ledger start(final KafkaSettings kafka, final DataSource db, final LedgerSettings settings,
                               final MeterRegistry metrics) {
        LedgerSchema.migrate(db);
        final CostLedgerWriter writer = CostLedgerWriter.start(kafka, db, settings, metrics);
        final DbOffsetConsumer<Incident> incidents = new DbOffsetConsumer<>(kafka, Topics.INCIDENTS,
                settings.groupId() + "-incidents", OWNER, db, settings.maxBatch(), DashboardProjections::incidents, b -> { })
                .start();
        final DbOffsetConsumer<RemediationEvent> remediations = new DbOffsetConsumer<>(kafka, Topics.REMEDIATIONS,
                settings.groupId() + "-remediations", OWNER, db, settings.maxBatch(), DashboardProjections::remediations,
                b -> { }).start();
        return new Ledger(writer, incidents, remediations);
    }

    public boolean isHealthy() {
        return writer.isHealthy() && incidents.isHealthy() && remediations.isHealthy();
    }

    public CostLedgerWriter writer() {
        return writer;
    }

    @Override
    public void close() throws InterruptedException {
        remediations.close();
        incidents.close();
        writer.close();
    }
}
