package aiops.analyzer.worker;

import aiops.analyzer.AnalysisEngine;
import aiops.analyzer.AnalyzerConfig;
import aiops.avro.Incident;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.RegistryFailures;
import aiops.schemas.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyzer worker: consumes incident versions, debounces them, runs up to {@code maxInFlight} analyses at once
 * (one per incident at a time, so each incident's versions stay in order), and writes each analysis, its usage
 * records and its cache entry in one Kafka transaction together with the consumer offsets. The committed offset of a
 * partition never passes a version still waiting or running, so a crash loses nothing; versions already analysed are
 * recognised after a restart from {@code aiops.analyses} and not analysed twice.
 */
public final class AnalyzerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerService.class);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

    /** A finished analysis waiting for the next transaction. */
    private record Done(String incidentId, AnalysisEngine.Outcome outcome, Throwable error) {
    }

    /** An analysis running, and the record it came from. */
    private record Running(Debouncer.Pending pending) {
        TopicPartition partition() {
            return pending.partition();
        }

        long offset() {
            return pending.offset();
        }
    }

    private final AnalyzerConfig.Worker settings;
    private final AnalysisEngine engine;
    private final KafkaSettings kafka;
    private final Debouncer debouncer;
    private final Serde<Incident> incidentSerde;
    private final KafkaConsumer<String, Incident> consumer;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final ExecutorService workers;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Queue<Done> done = new ConcurrentLinkedQueue<>();
    private final List<Done> uncommitted = new ArrayList<>();
    private final Thread loop;
    private final Timer analysisTimer;
    private final AtomicInteger analyses = new AtomicInteger();
    private static final Duration REGISTRY_RETRY = Duration.ofMillis(500);

    private volatile boolean stopping;
    private volatile boolean killed;
    private volatile boolean healthy = true;
    private volatile boolean waitingForRegistry;
    private long lastCommitNanos = System.nanoTime();
    private boolean offsetsDirty;

    private AnalyzerService(final KafkaSettings kafka, final AnalyzerConfig.Worker settings, final AnalysisEngine engine,
                            final MeterRegistry metrics) {
        this.kafka = kafka;
        this.settings = settings;
        this.engine = engine;
        this.debouncer = new Debouncer(settings.debounce(), settings.maxDelay());
        this.incidentSerde = AvroSerdes.valueSerde(Topics.INCIDENTS, kafka.registryConfig());
        final Map<String, Object> consumerProps = kafka.consumerProps(settings.groupId());
        consumerProps.put("client.id", "analyzer-" + settings.instanceId());
        this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), incidentSerde.deserializer());
        final Map<String, Object> producerProps = kafka.producerProps("analyzer-" + settings.instanceId());
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aiops-analyzer-" + settings.instanceId());
        producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), valueSerializer(kafka));
        final AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.maxInFlight(), r -> {
            final Thread t = new Thread(r, "analyzer-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.analysisTimer = Timer.builder("aiops.analyzer.analysis").register(metrics);
        Gauge.builder("aiops.analyzer.in.flight", running, Map::size).register(metrics);
        this.loop = new Thread(this::run, "analyzer-loop");
    }

    @SuppressWarnings("unchecked")
    private static Serializer<SpecificRecord> valueSerializer(final KafkaSettings kafka) {
        return (Serializer<SpecificRecord>) (Serializer<?>) AvroSerdes.valueSerde(Topics.ANALYSES, kafka.registryConfig())
                .serializer();
    }

    public static AnalyzerService start(final KafkaSettings kafka, final AnalyzerConfig.Worker settings,
                                        final AnalysisEngine engine, final MeterRegistry metrics)
            throws InterruptedException {
        final AnalyzerService service = new AnalyzerService(kafka, settings, engine, metrics);
        try {
            service.producer.initTransactions();
            AnalysedHistory.restore(kafka, service.debouncer, engine);
        } catch (final RuntimeException | InterruptedException e) {
            service.close();
            throw e;
        }
        service.loop.start();
        return service;
    }

    public boolean isRunning() {
        return loop.isAlive() && healthy && !waitingForRegistry;
    }

    /** Analyses committed by this instance. */
    public int analysesCommitted() {
        return analyses.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.INCIDENTS.name()), new Rebalance());
            while (!stopping) {
                poll();
                dispatch();
                collect();
                if (!uncommitted.isEmpty() || (offsetsDirty && System.nanoTime() - lastCommitNanos > COMMIT_INTERVAL.toNanos())) {
                    commit();
                }
            }
        } catch (final WakeupException e) {
            // stopping
        } catch (final ProducerFencedException e) {
            LOG.error("another analyzer instance with id {} took over; stopping", settings.instanceId());
            healthy = false;
        } catch (final RuntimeException e) {
            LOG.error("analyzer loop failed", e);
            healthy = false;
        }
    }

    private void poll() {
        final Duration timeout = running.isEmpty() && debouncer.waiting() == 0 ? Duration.ofMillis(200) : Duration.ofMillis(20);
        final Iterable<ConsumerRecord<String, Incident>> records;
        try {
            records = consumer.poll(timeout);
        } catch (final RecordDeserializationException e) {
            if (RegistryFailures.isUnavailable(e)) {
                // Not the record's fault: read it again once the registry answers.
                LOG.warn("schema registry unavailable reading {}@{}; retrying: {}", e.topicPartition(), e.offset(),
                        e.getMessage());
                consumer.seek(e.topicPartition(), e.offset());
                waitingForRegistry = true;
                LockSupport.parkNanos(REGISTRY_RETRY.toNanos());
                return;
            }
            // Incidents are written by the pipeline itself; an unreadable one is skipped loudly rather than blocking.
            LOG.error("unreadable incident at {}@{}; skipped", e.topicPartition(), e.offset(), e);
            consumer.seek(e.topicPartition(), e.offset() + 1);
            offsetsDirty = true;
            return;
        }
        waitingForRegistry = false;
        final long now = System.nanoTime();
        for (final ConsumerRecord<String, Incident> r : records) {
            offsetsDirty = true;
            if (r.value() != null) {
                final boolean wanted = debouncer.offer(r.value(), new TopicPartition(r.topic(), r.partition()),
                        r.offset(), now);
                LOG.debug("{} v{} at {}-{}@{}: {}", r.key(), r.value().getVersion(), r.topic(), r.partition(),
                        r.offset(), wanted ? "waiting" : "nothing new");
            }
        }
    }

    private void dispatch() {
        final int free = settings.maxInFlight() - running.size();
        if (free <= 0) {
            return;
        }
        for (final Debouncer.Pending p : debouncer.ready(System.nanoTime(), running.keySet(), free)) {
            final String id = p.incident().getIncidentId();
            running.put(id, new Running(p));
            LOG.debug("analysing {} v{}", id, p.incident().getVersion());
            workers.execute(() -> {
                final long started = System.nanoTime();
                try {
                    done.add(new Done(id, engine.analyse(p.incident()), null));
                } catch (final RuntimeException e) {
                    done.add(new Done(id, null, e));
                } finally {
                    analysisTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }
            });
        }
    }

    private void collect() {
        for (Done d = done.poll(); d != null; d = done.poll()) {
            final Running r = running.remove(d.incidentId());
            if (d.error() != null) {
                // Analysts degrade rather than throw, so this is a bug or an outage; wait a debounce and try again.
                LOG.error("analysis of {} failed; retrying", d.incidentId(), d.error());
                if (r != null) {
                    debouncer.offer(r.pending().incident(), r.partition(), r.offset(), System.nanoTime());
                }
                continue;
            }
            uncommitted.add(d);
            debouncer.analysed(d.incidentId(), d.outcome().analysis().getIncidentVersion(),
                    d.outcome().analysis().getIncidentSignature());
            if (r == null) {
                LOG.warn("analysis of {} finished after its partition moved", d.incidentId());
            }
        }
    }

    private void commit() {
        final Map<TopicPartition, OffsetAndMetadata> offsets = safeOffsets();
        try {
            producer.beginTransaction();
            for (final Done d : uncommitted) {
                final AnalysisEngine.Outcome o = d.outcome();
                producer.send(new ProducerRecord<>(Topics.ANALYSES.name(), d.incidentId(), o.analysis()));
                o.usages().forEach(u -> producer.send(new ProducerRecord<>(Topics.LLM_USAGE.name(), u.getUsageId(), u)));
                if (o.cacheWrite() != null) {
                    producer.send(new ProducerRecord<>(Topics.ANALYSIS_CACHE.name(), o.cacheWrite().getCacheKey(),
                            o.cacheWrite()));
                }
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
            LOG.debug("committed {} analyses, offsets {}", uncommitted.size(), offsets);
            analyses.addAndGet(uncommitted.size());
            uncommitted.clear();
            offsetsDirty = false;
            lastCommitNanos = System.nanoTime();
        } catch (final ProducerFencedException e) {
            throw e;
        } catch (final KafkaException e) {
            LOG.warn("transaction failed, retrying: {}", e.toString());
            producer.abortTransaction();
        }
    }

    /** Per partition: the position, held back to the lowest version still waiting or running. */
    private Map<TopicPartition, OffsetAndMetadata> safeOffsets() {
        final Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (final TopicPartition tp : consumer.assignment()) {
            long offset = consumer.position(tp);
            final var waiting = debouncer.lowestOffset(tp);
            if (waiting.isPresent()) {
                offset = Math.min(offset, waiting.getAsLong());
            }
            for (final Running r : running.values()) {
                if (r.partition().equals(tp)) {
                    offset = Math.min(offset, r.offset());
                }
            }
            out.put(tp, new OffsetAndMetadata(offset));
        }
        return out;
    }

    /** On losing partitions: let their running analyses finish and commit, then forget what waited there. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            if (killed) {
                return;
            }
            LOG.info("revoked {}", partitions);
            final Set<TopicPartition> lost = new HashSet<>(partitions);
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (running.values().stream().anyMatch(r -> lost.contains(r.partition())) && System.nanoTime() < deadline) {
                collect();
                try {
                    Thread.sleep(10);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            collect();
            commit();
            debouncer.forget(lost);
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            // Positions come from the committed offsets; history was restored at start.
            LOG.info("assigned {}", partitions);
        }

        @Override
        public void onPartitionsLost(final Collection<TopicPartition> partitions) {
            debouncer.forget(new HashSet<>(partitions));
        }
    }

    /** Stops without committing anything further, as a crash would. For fault tests. */
    public void kill() throws InterruptedException {
        killed = true;
        stopping = true;
        consumer.wakeup();
        loop.join(10_000);
        workers.shutdownNow();
        consumer.close(Duration.ZERO);
        producer.close(Duration.ZERO);
        incidentSerde.close();
    }

    @Override
    public void close() throws InterruptedException {
        if (killed) {
            return;
        }
        stopping = true;
        consumer.wakeup();
        loop.join(30_000);
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        try {
            collect();
            if (!uncommitted.isEmpty()) {
                commit();
            }
            // Leaving the group runs the revocation callback, which commits with the producer still open.
            consumer.close(Duration.ofSeconds(5));
        } catch (final RuntimeException e) {
            LOG.warn("final commit failed: {}", e.toString());
        }
        producer.close(Duration.ofSeconds(5));
        incidentSerde.close();
    }
}
