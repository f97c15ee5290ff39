package aiops.forecast;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.ExhaustionForecast;
import aiops.avro.Forecast;
import aiops.avro.ForecastPoint;
import aiops.avro.ReplicaRecommendation;
import aiops.avro.Severity;
import aiops.forecast.model.ExhaustionCheck;
import aiops.forecast.model.HourlyHistory;
import aiops.forecast.model.ReplicaPlan;
import aiops.forecast.model.SeriesForecast;
import aiops.forecast.store.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds what the forecaster publishes: the {@link Forecast} record and the predicted-exhaustion alert. */
public final class ForecastRecords {

    public static final String ALERT_SOURCE = "forecast";
    public static final String ALERT_NAME = "PredictedExhaustion";

    private ForecastRecords() {
    }

    public static Forecast forecast(final SeriesKey key, final String unit, final SeriesForecast f,
                                    final ExhaustionCheck exhaustion, final ReplicaPlan plan, final Instant now) {
        final Forecast.Builder b = Forecast.newBuilder()
                .setForecastId("fc-" + hash(key.topicKey() + "\n" + f.originHour()))
                .setService(key.service()).setMetric(key.metric()).setUnit(unit)
                .setOrigin(hourStart(f.originHour())).setResolutionMinutes(60).setMethod(f.method().wireName())
                .setHistoryHours(f.historyHours()).setBacktestSmape(f.backtestSmape())
                .setBaselineSmape(f.baselineSmape()).setLevel(f.level())
                .setPoints(f.points().stream().map(p -> new ForecastPoint(hourStart(p.hour()), p.value(), p.lower(),
                        p.upper())).toList())
                .setCreatedAt(now).setReplayRunId(key.live() ? null : key.run());
        if (exhaustion != null) {
            b.setExhaustion(new ExhaustionForecast(exhaustion.limit(), hourOrNull(exhaustion.etaHour()),
                    hourOrNull(exhaustion.earliestHour()), hourOrNull(exhaustion.latestHour()),
                    exhaustion.horizonHours()));
        }
        if (plan != null) {
            b.setRecommendation(new ReplicaRecommendation(plan.qpsPerReplica(), plan.headroom(), plan.minReplicas(),
                    plan.maxReplicas(), plan.replicas(), plan.target(), plan.leadHours()));
        }
        return b.build();
    }

    /**
     * The alert for a series forecast to run out ({@code firing}) or no longer forecast to ({@code resolved}). Event
     * time is the forecast origin, so a replayed history correlates at the time it describes.
     */
    public static AlertEvent alert(final SeriesKey key, final SeriesForecast f, final ExhaustionCheck check,
                                   final boolean firing, final Instant now) {
        final Instant origin = hourStart(f.originHour());
        final String fingerprint = "fc-" + hash(key.topicKey() + "\n" + ALERT_NAME);
        final Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", ALERT_NAME);
        labels.put("service", key.service());
        labels.put("metric", key.metric());
        final Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("limit", number(check.limit()));
        annotations.put("forecast_method", f.method().wireName());
        annotations.put("forecast_origin", origin.toString());
        annotations.put("horizon_hours", Integer.toString(check.horizonHours()));
        String summary;
        Severity severity = Severity.WARNING;
        if (firing) {
            final Instant eta = hourStart(check.etaHour());
            final long hours = Duration.between(origin, eta).toHours();
            annotations.put("eta", eta.toString());
            annotations.put("eta_hours", Long.toString(hours));
            annotations.put("eta_earliest", check.earliestHour() == null ? "" : hourStart(check.earliestHour()).toString());
            annotations.put("eta_latest", check.latestHour() == null ? "after " + hourStart(f.originHour()
                    + check.horizonHours()) : hourStart(check.latestHour()).toString());
            summary = String.format(Locale.ROOT, "%s %s is forecast to reach %s around %s (in about %d h)",
                    key.service(), key.metric(), number(check.limit()), eta, hours);
            severity = hours < 6 ? Severity.HIGH : Severity.WARNING;
        } else {
            summary = String.format(Locale.ROOT, "%s %s is no longer forecast to reach %s within %d h", key.service(),
                    key.metric(), number(check.limit()), check.horizonHours());
        }
        annotations.put("summary", summary);
        return AlertEvent.newBuilder()
                .setEventId("ev-" + hash(fingerprint + "\n" + f.originHour() + "\n" + firing))
                .setFingerprint(fingerprint).setSource(ALERT_SOURCE).setName(ALERT_NAME).setService(key.service())
                .setSeverity(severity).setSourceSeverity(severity.name().toLowerCase(Locale.ROOT))
                .setStatus(firing ? AlertStatus.FIRING : AlertStatus.RESOLVED).setStartsAt(origin)
                .setEndsAt(firing ? null : origin).setEventTime(origin).setReceivedAt(now).setSummary(summary)
                .setLabels(labels).setAnnotations(annotations).setReplayRunId(key.live() ? null : key.run())
                .build();
    }

    static Instant hourStart(final long hour) {
        return Instant.ofEpochMilli(hour * HourlyHistory.HOUR_MS);
    }

    private static Instant hourOrNull(final Long hour) {
        return hour == null ? null : hourStart(hour);
    }

    private static String number(final double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String hash(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
