package aiops.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** The kinds of signal body the pipeline accepts, as named in scenario files; each knows its normaliser. */
public enum SignalKind {
    /** Prometheus Alertmanager webhook, version 4. */
    ALERTMANAGER((body, context) -> AlertmanagerNormalizer.alertmanager().normalize(body, context)),
    /** Grafana unified alerting webhook. */
    GRAFANA((body, context) -> AlertmanagerNormalizer.grafana().normalize(body, context)),
    /** PagerDuty Events API v2 event. */
    PAGERDUTY((body, context) -> new PagerDutyNormalizer().normalize(body, context)),
    /** Datadog webhook JSON. */
    DATADOG((body, context) -> new DatadogNormalizer().normalize(body, context)),
    /** The generic alert format. */
    GENERIC((body, context) -> new GenericAlertNormalizer().normalize(body, context)),
    /** Log record or array of them. */
    LOG((body, context) -> new LogNormalizer().normalize(body, context)),
    /** Metric window or array of them. */
    METRIC((body, context) -> new MetricWindowNormalizer().normalize(body, context));

    private final BiFunction<JsonNode, SignalContext, Normalized> normalizer;

    SignalKind(final BiFunction<JsonNode, SignalContext, Normalized> normalizer) {
        this.normalizer = normalizer;
    }

    /**
     * Normalises one body of this kind.
     *
     * @throws InvalidSignalException naming the offending field
     */
    public Normalized normalize(final JsonNode body, final SignalContext context) {
        return normalizer.apply(body, context);
    }

    public static SignalKind parse(final String name) {
        if (name != null) {
            for (final SignalKind kind : values()) {
                if (kind.name().equalsIgnoreCase(name.trim())) {
                    return kind;
                }
            }
        }
        throw new InvalidSignalException("kind", "'" + name + "' is not one of "
                + Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
