package aiops.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.avro.BudgetState;
import aiops.avro.BudgetStatus;
import aiops.avro.LlmUsage;
import aiops.avro.NotificationEvent;
import aiops.common.kafka.KafkaSettings;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Headers;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ledger writer on the real broker and PostgreSQL, through a crash, a database outage and budget limits. */
@Tag("integration")
@Timeout(300)
@ExtendWith(EmbeddedStackExtension.class)
class CostLedgerWriterIT {

    static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    static HikariDataSource db(final EmbeddedStack stack) {
        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(stack.postgres().jdbcUrl());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        final HikariDataSource ds = new HikariDataSource(config);
        LedgerSchema.migrate(ds);
        return ds;
    }

    static LedgerSettings settings(final String run, final int batch) {
        return new LedgerSettings("ledger-it-" + run, batch, Duration.ofSeconds(1));
    }

    static LlmUsage usage(final String id, final String service, final String model, final long in, final long out,
                          final long cached) {
        return LlmUsage.newBuilder().setUsageId(id).setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setIncidentId("inc-" + service).setAnalysisId("an-" + id).setService(service).setTeam("team-" + service)
                .setProvider("openai").setModel(model).setPurpose("analysis").setInputTokens(in).setOutputTokens(out)
                .setCachedInputTokens(cached).setLatencyMs(800).setOutcome("ok").build();
    }

    /** gpt-4o-mini as seeded: 0.15 in, 0.60 out, 0.075 cached input per million tokens. */
    static BigDecimal miniCost(final LlmUsage u) {
        return BigDecimal.valueOf(u.getInputTokens()).multiply(new BigDecimal("0.15"))
                .add(BigDecimal.valueOf(u.getOutputTokens()).multiply(new BigDecimal("0.60")))
                .add(BigDecimal.valueOf(u.getCachedInputTokens()).multiply(new BigDecimal("0.075")))
                .divide(MILLION, 10, RoundingMode.HALF_UP);
    }

    @Test
    void shouldKeepEveryDistinctCallExactlyOnceWithExactCostsThroughACrash(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String service = "svc-" + run;
        final Random random = new Random(7);
        final List<LlmUsage> distinct = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            distinct.add(usage(run + "-" + i, service, "gpt-4o-mini", 500 + random.nextInt(3000),
                    50 + random.nextInt(600), random.nextInt(4) == 0 ? random.nextInt(1000) : 0));
        }
        final List<LlmUsage> sent = new ArrayList<>(distinct);
        sent.addAll(distinct.subList(0, 600));
        produce(kafka, Topics.LLM_USAGE, sent, LlmUsage::getUsageId);
        try (HikariDataSource ds = db(stack)) {
            final CostLedgerWriter first = CostLedgerWriter.start(kafka, ds, settings(run, 150), new SimpleMeterRegistry());
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(ds, service) >= 1000);
            // Crash: no clean close, and the database drops the writer's connections mid-transaction.
            first.kill();
            terminateOtherBackends(ds);

            try (CostLedgerWriter second = CostLedgerWriter.start(kafka, ds, settings(run, 150),
                    new SimpleMeterRegistry())) {
                await().atMost(Duration.ofSeconds(90)).until(() -> second.recordsCommitted() > 0
                        && rows(ds, service) == distinct.size());
                // Everything sent, duplicates included, has been consumed past, and no row was added twice.
                await().atMost(Duration.ofSeconds(30)).until(() -> stored(ds, "ledger-it-" + run) >= offsetsEnd(kafka));
            }
            final BigDecimal expected = distinct.stream().map(CostLedgerWriterIT::miniCost)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(rows(ds, service)).isEqualTo(distinct.size());
            assertThat(sum(ds, "SELECT sum(cost_usd) FROM llm_usage_ledger WHERE service = ?", service))
                    .isEqualByComparingTo(expected);
            assertThat(sum(ds, "SELECT sum(cost_usd) FROM ledger_daily_rollup WHERE service = ?", service))
                    .as("the rollup counted each inserted row once").isEqualByComparingTo(expected);
            assertThat(sum(ds, "SELECT sum(calls) FROM ledger_daily_rollup WHERE service = ?", service))
                    .isEqualByComparingTo(BigDecimal.valueOf(distinct.size()));
            assertThat(sum(ds, "SELECT cost_usd FROM cost_by_incident WHERE incident_id = ?", "inc-" + service))
                    .isEqualByComparingTo(expected);
            assertThat(new LedgerQueries(ds).summary(Instant.now().minus(Duration.ofDays(1)), LedgerQueries.By.SERVICE,
                    null)).filteredOn(l -> l.key().equals(service)).singleElement().satisfies(l -> {
                        assertThat(l.costUsd()).isEqualByComparingTo(expected);
                        assertThat(l.billedCalls()).isEqualTo(distinct.size());
                    });
        }
    }

    @Test
    void shouldAppendCorrectionsWhenAMissingPriceArrives(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String service = "svc-" + run;
        final String model = "late-model-" + run;
        produce(kafka, Topics.LLM_USAGE, List.of(usage(run + "-1", service, model, 1_000_000, 100_000, 0),
                usage(run + "-2", service, model, 2_000_000, 0, 0)), LlmUsage::getUsageId);
        try (HikariDataSource ds = db(stack);
             CostLedgerWriter writer = CostLedgerWriter.start(kafka, ds, settings(run, 500), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(ds, service) == 2);
            final LedgerQueries queries = new LedgerQueries(ds);
            queries.setPrice("openai", model, new BigDecimal("1.00"), new BigDecimal("2.00"), null,
                    Instant.now().minus(Duration.ofDays(1)));

            assertThat(queries.reprice(Instant.now().minus(Duration.ofHours(1)))).isEqualTo(2);
            assertThat(queries.reprice(Instant.now().minus(Duration.ofHours(1)))).as("nothing left to correct").isZero();

            // 1M in + 100k out = 1.00 + 0.20; 2M in = 2.00: 3.20 in all, originals untouched (cost null).
            assertThat(sum(ds, "SELECT sum(cost_usd) FROM llm_usage_ledger WHERE service = ?", service))
                    .isEqualByComparingTo("3.20");
            assertThat(sum(ds, "SELECT count(*) FROM llm_usage_ledger WHERE service = ? AND cost_usd IS NULL", service))
                    .isEqualByComparingTo("2");
            assertThat(sum(ds, "SELECT sum(cost_usd) FROM ledger_daily_rollup WHERE service = ?", service))
                    .isEqualByComparingTo("3.20");
        }
    }

    @Test
    void shouldPauseWhileTheDatabaseIsDownAndLoseNothing(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String service = "svc-" + run;
        try (HikariDataSource ds = db(stack);
             CostLedgerWriter writer = CostLedgerWriter.start(kafka, ds, settings(run, 1000), new SimpleMeterRegistry())) {
            final List<LlmUsage> before = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                before.add(usage(run + "-a" + i, service, "gpt-4o-mini", 1000, 100, 0));
            }
            produce(kafka, Topics.LLM_USAGE, before, LlmUsage::getUsageId);
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(ds, service) == 300);

            stack.postgres().close();
            final List<LlmUsage> during = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                during.add(usage(run + "-b" + i, service, "gpt-4o-mini", 2000, 200, 0));
            }
            // A poll takes the whole backlog (batch 1000), so every retry during the outage meets the poison record.
            producePoison(kafka, "poison-" + run);
            produce(kafka, Topics.LLM_USAGE, during, LlmUsage::getUsageId);
            await().atMost(Duration.ofSeconds(30)).until(() -> !writer.isHealthy());
            Thread.sleep(30_000 - 5_000); // the outage the issue asks to survive: about 30 s in all
            assertThat(writer.isHealthy()).as("not ready while the database is away").isFalse();
            stack.postgres().restart();

            await().atMost(Duration.ofSeconds(90)).until(() -> rows(ds, service) == 800 && writer.isHealthy());
            final BigDecimal expected = new BigDecimal("300").multiply(new BigDecimal("0.00021"))
                    .add(new BigDecimal("500").multiply(new BigDecimal("0.00042")));
            assertThat(sum(ds, "SELECT sum(cost_usd) FROM llm_usage_ledger WHERE service = ?", service))
                    .isEqualByComparingTo(expected);
            // The batch holding the poison record was retried for the whole outage; it is dead-lettered once.
            assertThat(deadLetters(kafka, "poison-" + run)).hasSize(1);
        } finally {
            if (!stack.postgres().isRunning()) {
                stack.postgres().restart();
            }
        }
    }

    @Test
    void shouldPublishBudgetStatesAndNoticeEachLevelOncePerPeriod(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String service = "svc-" + run;
        final String scope = "service:" + service;
        try (HikariDataSource ds = db(stack);
             CostLedgerWriter writer = CostLedgerWriter.start(kafka, ds, settings(run, 500), new SimpleMeterRegistry())) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                // 0.01 USD a day; each call below costs 0.00042 (2000 in, 200 out on gpt-4o-mini).
                st.execute("INSERT INTO budgets (scope, period, limit_usd, soft_ratio) VALUES ('" + scope
                        + "', 'day', 0.01, 0.8)");
            }
            produceCalls(kafka, run, service, 0, 20);   // 0.0084: past 80 %
            await().atMost(Duration.ofSeconds(60)).until(() -> budget(kafka, scope) != null
                    && budget(kafka, scope).getState() == BudgetStatus.SOFT_EXCEEDED);
            produceCalls(kafka, run, service, 20, 10);  // 0.0126: past the limit
            await().atMost(Duration.ofSeconds(60)).until(() -> budget(kafka, scope).getState() == BudgetStatus.HARD_EXCEEDED);
            produceCalls(kafka, run, service, 30, 5);   // still past: no new notice
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(ds, service) == 35);
            Thread.sleep(2_500); // two evaluation intervals, so a repeated notice would have been sent

            assertThat(budget(kafka, scope).getSpentUsd()).isEqualByComparingTo(new BigDecimal("0.0147"));
            final List<NotificationEvent> notices = values(kafka, Topics.NOTIFICATIONS).stream()
                    .filter(n -> n.getNotificationId().startsWith("budget:" + scope + ":")).toList();
            assertThat(notices).extracting(NotificationEvent::getKind).containsExactly("budget_soft", "budget_hard");
        }
    }

    @Test
    void shouldKeepCallsOfUnpricedModelsAndDeadLetterUndecodableRecords(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String service = "svc-" + run;
        produce(kafka, Topics.LLM_USAGE, List.of(usage(run + "-x", service, "no-such-model", 100, 10, 0)),
                LlmUsage::getUsageId);
        producePoison(kafka, "poison-" + run);
        produce(kafka, Topics.LLM_USAGE, List.of(usage(run + "-y", service, "gpt-4o-mini", 100, 10, 0)),
                LlmUsage::getUsageId);
        try (HikariDataSource ds = db(stack);
             CostLedgerWriter writer = CostLedgerWriter.start(kafka, ds, settings(run, 500), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(ds, service) == 2);
            try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(
                    "SELECT cost_usd, price_missing FROM llm_usage_ledger WHERE usage_id = ?")) {
                st.setString(1, run + "-x");
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBigDecimal(1)).isNull();
                    assertThat(rs.getBoolean(2)).isTrue();
                }
            }
            // Checked while the writer runs: the poison record may sit on a partition fetched after both good ones.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(deadLetters(kafka, "poison-" + run)).singleElement().satisfies(r ->
                            assertThat(new String(r.headers().lastHeader(Headers.DLQ_STAGE).value(),
                                    StandardCharsets.UTF_8)).isEqualTo("ledger-deserialization")));
            assertThat(writer.isHealthy()).isTrue();
        }
    }

    static void produceCalls(final KafkaSettings kafka, final String run, final String service, final int from,
                             final int n) throws Exception {
        final List<LlmUsage> calls = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            calls.add(usage(run + "-c" + i, service, "gpt-4o-mini", 2000, 200, 0));
        }
        produce(kafka, Topics.LLM_USAGE, calls, LlmUsage::getUsageId);
    }

    static BudgetState budget(final KafkaSettings kafka, final String scope) {
        BudgetState last = null;
        for (final BudgetState s : values(kafka, Topics.BUDGET)) {
            if (s.getScope().equals(scope)) {
                last = s;
            }
        }
        return last;
    }

    static long rows(final HikariDataSource ds, final String service) {
        try {
            return sum(ds, "SELECT count(*) FROM llm_usage_ledger WHERE service = ?", service).longValue();
        } catch (final Exception e) {
            return -1;
        }
    }

    static BigDecimal sum(final HikariDataSource ds, final String sql, final String arg) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                final BigDecimal v = rs.getBigDecimal(1);
                return v == null ? BigDecimal.ZERO : v;
            }
        }
    }

    static long stored(final HikariDataSource ds, final String group) throws Exception {
        return sum(ds, "SELECT sum(next_offset) FROM ledger_consumer_offsets WHERE consumer_group = ?", group)
                .longValue();
    }

    static long offsetsEnd(final KafkaSettings kafka) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumerProps(null), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> parts = c.partitionsFor(Topics.LLM_USAGE.name()).stream()
                    .map(p -> new TopicPartition(Topics.LLM_USAGE.name(), p.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static void producePoison(final KafkaSettings kafka, final String key) throws Exception {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(kafka.producerProps("poison"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.LLM_USAGE.name(), key.getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** The DLQ records whose key starts with {@code keyPrefix}; read uncommitted (the DLQ producer is not transactional). */
    static List<ConsumerRecord<byte[], byte[]>> deadLetters(final KafkaSettings kafka, final String keyPrefix) {
        final Map<String, Object> props = kafka.consumerProps(null);
        props.put("isolation.level", "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return drain(c, Topics.DLQ.name()).stream()
                    .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(keyPrefix))
                    .toList();
        }
    }

    static void terminateOtherBackends(final HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid() AND state <> 'idle'");
        }
    }

    static <V extends SpecificRecord> void produce(final KafkaSettings kafka, final TopicSpec<V> topic,
                                                   final List<V> values, final java.util.function.Function<V, String> key)
            throws Exception {
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
             KafkaProducer<String, V> producer = new KafkaProducer<>(kafka.producerProps("ledger-it"),
                     new StringSerializer(), serde.serializer())) {
            for (final V v : values) {
                producer.send(new ProducerRecord<>(topic.name(), key.apply(v), v));
            }
            producer.flush();
        }
    }

    static <V extends SpecificRecord> List<V> values(final KafkaSettings kafka, final TopicSpec<V> topic) {
        return aiops.common.kafka.TopicSnapshot.values(kafka, topic);
    }

    static List<ConsumerRecord<byte[], byte[]>> drain(final KafkaConsumer<byte[], byte[]> c, final String topic) {
        final List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        final Map<TopicPartition, Long> end = c.endOffsets(parts);
        final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
            c.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }
}
