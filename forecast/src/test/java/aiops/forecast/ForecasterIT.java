package aiops.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.Forecast;
import aiops.avro.KubernetesTarget;
import aiops.avro.MetricWindow;
import aiops.avro.ServiceCapacity;
import aiops.avro.ServiceEntry;
import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.Role;
import aiops.common.config.AiopsConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.HttpSecurity;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The forecaster on the real broker, registry and PostgreSQL: history built from windows through a crash and a
 * restart without losing or double-counting any, forecasts and replica recommendations on {@code aiops.forecasts},
 * a predicted-exhaustion alert on {@code aiops.alerts.raw}, replay runs kept apart, and the query API behind auth.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(EmbeddedStackExtension.class)
class ForecasterIT {

    static final long START_HOUR = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli() / 3_600_000L;
    static final int HOURS = 480;
    /** The disk reaches 0.9 at hour 490, ten hours after the history ends. */
    static final double DISK_SLOPE = 0.3 / 240;

    String run;
    String web;
    String disk;
    KafkaSettings kafka;
    PGSimpleDataSource db;
    final ForecastSettings settings = ForecastSettings.defaults();

    @BeforeEach
    void setUp(final EmbeddedStack stack) throws Exception {
        run = UUID.randomUUID().toString().substring(0, 8);
        web = "web-" + run;
        disk = "db-" + run;
        kafka = stack.kafkaSettings();
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE fc_" + run);
        }
        db = new PGSimpleDataSource();
        db.setUrl(stack.postgres().jdbcUrl().replace("/aiops?", "/fc_" + run + "?"));
        produce(Topics.CATALOG, List.of(entry(web, ServiceCapacity.newBuilder().setQpsPerReplica(50.0)
                .setMinReplicas(2).setMaxReplicas(20).setHeadroom(0.2).build()), entry(disk,
                ServiceCapacity.newBuilder().setLimits(Map.of("disk_used_ratio", 0.9)).build())));
    }

    @Test
    void shouldForecastFromHistoryThatSurvivesACrashAndAlertBeforeTheDiskFills() throws Exception {
        final List<MetricWindow> windows = windows(null);
        final List<MetricWindow> first = windows.subList(0, 2 * 300);
        produce(Topics.METRIC_WINDOWS, first);
        final Forecaster crashed = Forecaster.start(kafka, db, settings.withGroupId("fc-it-" + run),
                new SimpleMeterRegistry());
        await().atMost(Duration.ofSeconds(60)).until(() -> forecast(web, null) != null);
        assertThat(forecast(web, null).getMethod()).as("300 h is less than two weeks").isEqualTo("insufficient_history");
        assertThat(forecast(web, null).getPoints()).isEmpty();
        produce(Topics.METRIC_WINDOWS, windows.subList(600, 700));
        crashed.kill();

        produce(Topics.METRIC_WINDOWS, windows.subList(700, windows.size()));
        final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (Forecaster forecaster = Forecaster.start(kafka, db, settings.withGroupId("fc-it-" + run), metrics);
             ApiServer api = api(forecaster)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                final Forecast f = forecast(disk, null);
                return f != null && f.getOrigin().equals(hour(START_HOUR + HOURS));
            });
            assertThat(coveredSeconds()).as("every window counted exactly once across the crash")
                    .isEqualTo(3600.0 * windows.size());

            final Forecast load = forecast(web, null);
            assertThat(load.getMethod()).isNotIn("insufficient_history", "seasonal_naive");
            assertThat(load.getPoints()).hasSize(settings.horizonHours());
            assertThat(load.getBacktestSmape()).isLessThan(load.getBaselineSmape());
            assertThat(load.getRecommendation()).isNotNull();
            // weekday peak ~ 400 req/s at 50 per replica with 20 % headroom: about 10 replicas at the peak
            assertThat(load.getRecommendation().getReplicas()).allSatisfy(r -> assertThat(r).isBetween(2, 20));
            assertThat(load.getRecommendation().getReplicas().stream().mapToInt(Integer::intValue).max().getAsInt())
                    .isBetween(8, 14);

            final Forecast full = forecast(disk, null);
            assertThat(full.getExhaustion()).isNotNull();
            assertThat(full.getExhaustion().getEta()).isBetween(hour(START_HOUR + 486), hour(START_HOUR + 494));
            final AlertEvent alert = await().atMost(Duration.ofSeconds(30)).until(() -> alert(disk), a -> a != null);
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getSource()).isEqualTo("forecast");
            assertThat(alert.getAnnotations()).containsKeys("eta", "eta_earliest", "eta_latest", "limit");
            assertThat(alert(web)).as("request rates have no limit").isNull();

            final String reader = new ApiKeyStore(db).create("it-reader", Role.READONLY, null, null).key();
            final HttpResponse<String> ok = get(api, "/api/v1/forecast?service=" + web
                    + "&metric=http_requests_per_s&hours=12", reader);
            assertThat(ok.statusCode()).isEqualTo(200);
            final JsonNode doc = new ObjectMapper().readTree(ok.body());
            assertThat(doc.path("points")).hasSize(12);
            assertThat(doc.path("recommendation").path("target_replicas").asInt()).isBetween(2, 20);
            assertThat(doc.path("method").asText()).isEqualTo(load.getMethod());
            assertThat(get(api, "/api/v1/forecast?service=" + web + "&metric=http_requests_per_s", null).statusCode())
                    .isEqualTo(401);
            assertThat(get(api, "/api/v1/forecast?service=" + web + "&hours=500", reader).statusCode()).isEqualTo(400);
            assertThat(get(api, "/api/v1/forecast?service=nobody-" + run, reader).statusCode()).isEqualTo(404);

            assertThat(metrics.get("aiops_forecast_series").gauge().value()).isEqualTo(2.0);
            assertThat(metrics.get("aiops_forecasts_total").tag("method", load.getMethod()).counter().count())
                    .isPositive();
            assertThat(metrics.get("aiops_forecast_backtest_smape").summary().count()).isPositive();
            assertThat(metrics.get("aiops_forecast_alerts_total").tag("status", "firing").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void shouldKeepAReplayRunsHistoryApartFromLiveTraffic() throws Exception {
        final String replay = "r-" + run;
        produce(Topics.METRIC_WINDOWS, windows(replay));
        try (Forecaster forecaster = Forecaster.start(kafka, db, settings.withGroupId("fc-it-" + run),
                new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> forecast(disk, replay) != null
                    && forecast(disk, replay).getOrigin().equals(hour(START_HOUR + HOURS)));
            final AlertEvent alert = await().atMost(Duration.ofSeconds(30)).until(() -> alert(disk), a -> a != null);
            assertThat(alert.getReplayRunId()).isEqualTo(replay);
            assertThat(forecast(disk, replay).getReplayRunId()).isEqualTo(replay);
            assertThat(forecast(disk, null)).as("no live series was made from the replay").isNull();
        }
    }

    List<MetricWindow> windows(final String replay) {
        final Random r = new Random(42);
        final List<MetricWindow> out = new ArrayList<>();
        for (int i = 0; i < HOURS; i++) {
            final long hour = START_HOUR + i;
            final double h = Math.floorMod(hour, 24L);
            final boolean weekend = Math.floorMod(Math.floorDiv(hour, 24L), 7L) >= 2
                    && Math.floorMod(Math.floorDiv(hour, 24L), 7L) <= 3;
            final double qps = 400 * (0.3 + 0.7 * Math.exp(-Math.pow((h - 14) / 4.0, 2))) * (weekend ? 0.6 : 1)
                    * (1 + 0.03 * r.nextGaussian());
            out.add(window(web, "http_requests_per_s", "req/s", hour, qps, replay));
            final double used = 0.6 + (i > 250 ? DISK_SLOPE * (i - 250) : 0) + 0.002 * r.nextGaussian();
            out.add(window(disk, "disk_used_ratio", "ratio", hour, used, replay));
        }
        return out;
    }

    static MetricWindow window(final String service, final String metric, final String unit, final long hour,
                               final double mean, final String replay) {
        return MetricWindow.newBuilder().setService(service).setMetric(metric).setWindowStart(hour(hour))
                .setWindowEnd(hour(hour + 1)).setCount(60).setMin(mean).setMax(mean).setMean(mean).setUnit(unit)
                .setLabels(Map.of()).setReceivedAt(Instant.now()).setReplayRunId(replay).build();
    }

    static Instant hour(final long hour) {
        return Instant.ofEpochMilli(hour * 3_600_000L);
    }

    static ServiceEntry entry(final String name, final ServiceCapacity capacity) {
        return ServiceEntry.newBuilder().setName(name).setTier(2).setDependsOn(List.of()).setUpdatedAt(Instant.now())
                .setKubernetes(KubernetesTarget.newBuilder().setNamespace("shop").setDeployment(name).build())
                .setCapacity(capacity).build();
    }

    Forecast forecast(final String service, final String replay) {
        Forecast latest = null;
        for (final Forecast f : TopicSnapshot.values(kafka, Topics.FORECASTS)) {
            if (f.getService().equals(service) && java.util.Objects.equals(f.getReplayRunId(), replay)) {
                latest = f;
            }
        }
        return latest;
    }

    AlertEvent alert(final String service) {
        return TopicSnapshot.values(kafka, Topics.ALERTS_RAW).stream()
                .filter(a -> service.equals(a.getService()) && a.getName().equals("PredictedExhaustion"))
                .reduce((a, b) -> b).orElse(null);
    }

    double coveredSeconds() throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(seconds) FROM forecast_history")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    ApiServer api(final Forecaster forecaster) {
        final AiopsConfig cfg = AiopsConfig.of(Map.of("AIOPS_HTTP_PORT", "0"), new Properties(), null);
        ApiKeyStore.migrate(db);
        return ApiServer.start("127.0.0.1", 0, new Readiness(), Metrics.newRegistry("it"),
                HttpSecurity.from(cfg, new ApiKeyStore(db), Clock.systemUTC()), forecaster::register);
    }

    static HttpResponse<String> get(final ApiServer api, final String path, final String key) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    <V extends SpecificRecord> void produce(final TopicSpec<V> topic, final List<V> values) throws Exception {
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
             KafkaProducer<String, V> p = new KafkaProducer<>(kafka.producerProps("fc-it"), new StringSerializer(),
                     serde.serializer())) {
            final List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (final V v : values) {
                final String key = v instanceof MetricWindow w ? w.getService() + "/" + w.getMetric()
                        : ((ServiceEntry) v).getName();
                acks.add(p.send(new ProducerRecord<>(topic.name(), key, v)));
            }
            for (final java.util.concurrent.Future<?> a : acks) {
                a.get();
            }
        }
    }
}
