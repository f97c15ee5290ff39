package aiops.ingest.streams;

import aiops.avro.AlertEvent;
import aiops.avro.EnrichedAlert;
import aiops.avro.Incident;
import aiops.avro.ServiceEntry;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Raw alerts -> enriched and deduplicated alerts -> incidents; metric windows and log records -> anomalies attached
 * to incidents. Built by two pure functions, like the Kafka Streams examples: {@link #properties} and {@link #build}.
 */
public final class IncidentTopology {

    /** Every correlated alert goes to this single key, so one task sees all services. */
    static final String CORRELATION_KEY = "all";
    private static final String CORRELATION_STAGE = "correlation";

    private IncidentTopology() {
    }

    /** The internal topic that feeds the correlator, as Kafka Streams names it for {@code applicationId}. */
    public static String correlationTopic(final String applicationId) {
        return applicationId + "-" + CORRELATION_STAGE + "-repartition";
    }

    /**
     * The topics whose records have fully passed the topology once they are committed: the raw alerts and the
     * correlator's input. Tools that wait for the topology to catch up watch these.
     */
    public static java.util.List<String> alertInputs(final String applicationId) {
        return java.util.List.of(Topics.ALERTS_RAW.name(), correlationTopic(applicationId));
    }

    public static Properties properties(final KafkaSettings kafka, final String applicationId, final Path stateDir) {
        final Properties props = new Properties();
        props.putAll(kafka.streamsProps(applicationId, stateDir));
        props.putIfAbsent(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, EventTimeExtractor.class);
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnDeserialization.class);
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnProcessing.class);
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        // A task here reads raw alerts, metric windows and logs of one partition number, which share nothing but that
        // number; event-time order between them comes from the correlator's watermark and grace, not from Streams
        // holding a task back until every input is fetched. Waiting bought nothing and, with an input empty (no
        // logs), Streams formatted a "waiting" message for it before every record (a sixth of the stream thread).
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return props;
    }

    public static void build(final StreamsBuilder builder, final TopologySerdes serdes, final StreamsConfigKeys config) {
        build(builder, serdes, config, InputBacklog.NONE);
    }

    /** @param backlog tells the correlator whether quiet input is only a busy stream thread (see {@link InputBacklog}) */
    public static void build(final StreamsBuilder builder, final TopologySerdes serdes, final StreamsConfigKeys config,
                             final InputBacklog backlog) {
        final Serde<AlertEvent> alertSerde = serdes.value(Topics.ALERTS_RAW);
        final Serde<EnrichedAlert> enrichedSerde = serdes.value(Topics.ALERTS_ENRICHED);
        final Serde<Incident> incidentSerde = serdes.value(Topics.INCIDENTS);
        final Serde<ServiceEntry> catalogSerde = serdes.value(Topics.CATALOG);

        builder.globalTable(Topics.CATALOG.name(), Consumed.with(Serdes.String(), catalogSerde),
                Materialized.<String, ServiceEntry, KeyValueStore<Bytes, byte[]>>as(Catalog.STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(catalogSerde));
        builder.addStateStore(store(Stores.persistentKeyValueStore(AlertDeduplicator.STORE),
                new JsonSerde<>(DedupState.class)));
        builder.addStateStore(store(Stores.persistentKeyValueStore(DedupExpiry.INDEX_STORE), Serdes.ByteArray()));
        builder.addStateStore(store(Stores.persistentKeyValueStore(MetricAnomalyDetector.STORE),
                new JsonSerde<>(MetricAnomalyDetector.Baseline.class)));
        builder.addStateStore(store(Stores.persistentKeyValueStore(LogAnomalyDetector.STORE),
                new JsonSerde<>(LogTemplates.class)));
        // The correlator's stores are small and churn (a queue and a working set): in memory, restored from their
        // changelogs. A queue in RocksDB would make every scan walk the tombstones of everything ever dequeued.
        builder.addStateStore(store(HashKeyValueStore.supplier(IncidentCorrelator.BUFFER_STORE),
                new BufferedAlertSerde()));
        builder.addStateStore(store(Stores.inMemoryKeyValueStore(IncidentCorrelator.INCIDENT_STORE),
                new JsonSerde<>(IncidentState.class)));
        builder.addStateStore(store(Stores.inMemoryKeyValueStore(IncidentCorrelator.META_STORE), Serdes.Long()));

        final KStream<String, EnrichedAlert> enriched = builder
                .stream(Topics.ALERTS_RAW.name(), Consumed.with(Serdes.String(), alertSerde))
                .process(() -> new AlertDeduplicator(config), AlertDeduplicator.STORE, DedupExpiry.INDEX_STORE);
        enriched.filter((fingerprint, alert) -> alert.getRepeatCount() != AlertDeduplicator.ABSORBED)
                .to(Topics.ALERTS_ENRICHED.name(), Produced.with(Serdes.String(), enrichedSerde));

        final KStream<String, BufferedAlert> metricAnomalies = builder
                .stream(Topics.METRIC_WINDOWS.name(), Consumed.with(Serdes.String(), serdes.value(Topics.METRIC_WINDOWS)))
                .process(() -> new MetricAnomalyDetector(config.metricSigmas()), MetricAnomalyDetector.STORE);

        final KStream<String, BufferedAlert> logAnomalies = builder
                .stream(Topics.LOGS_RAW.name(), Consumed.with(Serdes.String(), serdes.value(Topics.LOGS_RAW)))
                .process(LogAnomalyDetector::new, LogAnomalyDetector.STORE);

        enriched.mapValues(BufferedAlert::of)
                .merge(metricAnomalies)
                .merge(logAnomalies)
                .selectKey((key, signal) -> CORRELATION_KEY)
                .repartition(Repartitioned.<String, BufferedAlert>with(Serdes.String(), new BufferedAlertSerde())
                        .withName(CORRELATION_STAGE).withNumberOfPartitions(1))
                .process(() -> new IncidentCorrelator(config, backlog), IncidentCorrelator.BUFFER_STORE,
                        IncidentCorrelator.INCIDENT_STORE, IncidentCorrelator.META_STORE)
                .to(Topics.INCIDENTS.name(), Produced.with(Serdes.String(), incidentSerde));
    }

    /**
     * A processor's store: change-logged, under a write-behind layer, so the many writes a key gets between two
     * commits reach the store and its changelog once, serialised once. Streams' record cache would only copy them again.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(final KeyValueBytesStoreSupplier supplier,
                                                                    final Serde<V> values) {
        return WriteBehindStore.over(Stores.keyValueStoreBuilder(supplier, Serdes.String(), values).withCachingDisabled());
    }
}
