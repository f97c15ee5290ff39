package aiops.assistant;

import aiops.avro.ActionType;
import aiops.avro.AlertStatus;
import aiops.avro.Analysis;
import aiops.avro.Anomaly;
import aiops.avro.Evidence;
import aiops.avro.Forecast;
import aiops.avro.ForecastPoint;
import aiops.avro.Hypothesis;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.IncidentState;
import aiops.avro.KubernetesTarget;
import aiops.avro.ProposedAction;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.Role;
import aiops.common.config.AiopsConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.HttpSecurity;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import aiops.embedded.EmbeddedStack;
import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Data the assistant tests share: a database of their own, two catalogued services, two similar incidents (one
 * open in two versions, one resolved) with analyses, and a forecast, all on the real topics under unique names.
 */
final class OpsFixture {

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String checkout = "checkout-" + run;
    final String payments = "payments-" + run;
    final String open = "inc-" + run + "-open";
    final String resolved = "inc-" + run + "-old";
    final KafkaSettings kafka;
    final PGSimpleDataSource db;

    OpsFixture(final EmbeddedStack stack) throws Exception {
        kafka = stack.kafkaSettings();
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE asst_" + run);
        }
        db = new PGSimpleDataSource();
        db.setUrl(stack.postgres().jdbcUrl().replace("/aiops?", "/asst_" + run + "?"));
        ApiKeyStore.migrate(db);
    }

    /** Catalogue, incidents and analyses; {@code logLine} is an anomaly summary of the open incident. */
    void publish(final String logLine) throws Exception {
        produce(aiops.schemas.Topics.CATALOG, List.of(service(checkout, "team-shop",
                "Check the payments connection pool first; the admin password=hunter2-not-for-you is in the vault."),
                service(payments, "team-pay", null)));
        final Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(3600);
        produce(aiops.schemas.Topics.INCIDENTS, List.of(
                incident(resolved, 1, IncidentState.RESOLVED, t0.minusSeconds(86_400), null),
                incident(open, 1, IncidentState.OPEN, t0, null),
                incident(open, 2, IncidentState.UPDATED, t0.plusSeconds(120), logLine)));
        produce(aiops.schemas.Topics.ANALYSES, List.of(analysis(resolved, 1, t0.minusSeconds(86_000)),
                analysis(open, 2, t0.plusSeconds(130))));
        final List<ForecastPoint> points = new ArrayList<>();
        for (int h = 0; h < 48; h++) {
            points.add(new ForecastPoint(t0.plusSeconds(3600L * h), 100.0 + h, 90.0 + h, 110.0 + h));
        }
        produce(aiops.schemas.Topics.FORECASTS, List.of(Forecast.newBuilder().setForecastId("fc-" + run)
                .setService(checkout).setMetric("http_requests_per_s").setOrigin(t0).setMethod("seasonal_regression")
                .setHistoryHours(840).setBacktestSmape(0.03).setBaselineSmape(0.09).setPoints(points)
                .setCreatedAt(t0).build()));
    }

    ServiceEntry service(final String name, final String owner, final String excerpt) {
        return ServiceEntry.newBuilder().setName(name).setOwner(owner).setTeam(owner).setTier(1)
                .setRunbook("https://runbooks.example/" + name)
                .setDependsOn(name.equals(checkout) ? List.of(payments) : List.of())
                .setKubernetes(KubernetesTarget.newBuilder().setNamespace("shop").setDeployment(name).build())
                .setLabels(excerpt == null ? Map.of() : Map.of("runbook_excerpt", excerpt))
                .setUpdatedAt(Instant.now()).build();
    }

    Incident incident(final String id, final int version, final IncidentState state, final Instant at,
                      final String logLine) {
        final List<Anomaly> anomalies = logLine == null ? List.of() : List.of(Anomaly.newBuilder()
                .setAnomalyId("anom-" + run).setKind("new_error_template").setService(payments).setDetectedAt(at)
                .setScore(9.0).setSummary(logLine).setAttributes(Map.of()).build());
        return Incident.newBuilder().setIncidentId(id).setVersion(version).setState(state)
                .setChangeReason(version == 1 ? "opened" : "new_anomaly_kind")
                .setTitle("Checkout latency high on " + checkout).setSeverity(Severity.CRITICAL)
                .setServices(List.of(checkout, payments))
                .setAlerts(List.of(IncidentAlert.newBuilder().setFingerprint("fp-" + id).setName("CheckoutLatencyHigh")
                        .setService(checkout).setSeverity(Severity.CRITICAL).setStatus(state == IncidentState.RESOLVED
                                ? AlertStatus.RESOLVED : AlertStatus.FIRING)
                        .setFirstSeen(at).setLastSeen(at).setCount(3).build()))
                .setAnomalies(anomalies).setOpenedAt(at).setUpdatedAt(at)
                .setResolvedAt(state == IncidentState.RESOLVED ? at.plusSeconds(600) : null).setSignalCount(4).build();
    }

    Analysis analysis(final String incidentId, final int version, final Instant at) {
        final Evidence alert = Evidence.newBuilder().setId("alert:fp-" + incidentId).setKind("alert")
                .setService(checkout).setSummary("firing CheckoutLatencyHigh on " + checkout).setAt(at).build();
        final Evidence pool = Evidence.newBuilder().setId("anomaly:pool-" + incidentId).setKind("metric_anomaly")
                .setService(payments).setSummary("db_connections_used above baseline").setAt(at).build();
        return Analysis.newBuilder().setAnalysisId("ana-" + incidentId + "-" + version).setIncidentId(incidentId)
                .setIncidentVersion(version).setAnalyst("offline").setDegraded(false)
                .setSummary("Payments connection pool exhaustion slows checkout.")
                .setEvidence(List.of(alert, pool))
                .setHypotheses(List.of(Hypothesis.newBuilder().setRank(1).setService(payments)
                        .setFault("connection_pool_exhaustion").setDescription("pool saturated").setConfidence(0.8)
                        .setEvidenceIds(List.of(pool.getId(), alert.getId())).build()))
                .setActions(List.of(new ProposedAction(ActionType.RESTART_DEPLOYMENT, payments, Map.of(),
                        "recycle the pool", 1)))
                .setPromptTokens(0).setCompletionTokens(0).setCachedTokens(0).setLatencyMs(5).setCreatedAt(at).build();
    }

    String key(final String name, final Role role) throws Exception {
        return new ApiKeyStore(db).create(name + "-" + run, role, null, null).key();
    }

    ApiServer api(final AssistantService assistant) {
        final AiopsConfig cfg = AiopsConfig.of(Map.of("AIOPS_HTTP_PORT", "0"), new Properties(), null);
        return ApiServer.start("127.0.0.1", 0, new Readiness(), Metrics.newRegistry("it"),
                HttpSecurity.from(cfg, new ApiKeyStore(db), Clock.systemUTC()), assistant::register,
                assistant.mounts());
    }

    long count(final String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    <V extends SpecificRecord> void produce(final TopicSpec<V> topic, final List<V> values) throws Exception {
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
             KafkaProducer<String, V> p = new KafkaProducer<>(kafka.producerProps("asst-it"), new StringSerializer(),
                     serde.serializer())) {
            final List<Future<?>> acks = new ArrayList<>();
            for (final V v : values) {
                acks.add(p.send(new ProducerRecord<>(topic.name(), key(v), v)));
            }
            for (final Future<?> f : acks) {
                f.get();
            }
        }
    }

    private static String key(final Object v) {
        if (v instanceof ServiceEntry s) {
            return s.getName();
        }
        if (v instanceof Incident i) {
            return i.getIncidentId();
        }
        if (v instanceof Analysis a) {
            return a.getIncidentId();
        }
        if (v instanceof aiops.avro.BudgetState b) {
            return b.getScope();
        }
        if (v instanceof Forecast f) {
            return f.getService() + "/" + f.getMetric();
        }
        return v.toString();
    }
}
