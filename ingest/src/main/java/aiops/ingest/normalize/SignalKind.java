package aiops.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of signal body the pipeline accepts, as named in scenario files; each knows its normaliser. */
public enum SignalKind {
    /** Prometheus Alertmanager webhook, version 4. */
    ALERTMANAGER {
        @Override
        public Normalized normalize(final JsonNode body, final SignalContext context) {
            return AlertmanagerNormalizer.alertmanager().normalize(body, context);
        }
    },
    /** Grafana unified alerting webhook. */
    GRAFANA {
        @Override
        public Normalized normalize(final JsonNode body, final SignalContext context) {
            return AlertmanagerNormalizer.grafana().normalize(body, context);
        }
    },
    /** PagerDuty Events API v2 event. */
    PAGERDUTY {
        @Override
        public Normalized normalize(final JsonNode body, final SignalContext context) {
            return new PagerDutyNormalizer().normalize(body, context);
        }
    },
    /** Datadog webhook JSON. */
    DATADOG {
        @Override
        public Normalized normalize(final JsonNode body, final SignalContext context) {
            return new DatadogNormalizer().normalize(body, context);
        }
    },
    /** The generic alert format. */
    GENERIC {
        @Override
        public Normalized normalize(final JsonNode body, final SignalContext context) {
            return new GenericAlertNormalizer().normalize(body, context);
        }
    },
    /** Log record or array of them. */
    LOG {
        @Override
        public Normalized normalize(final JsonNode body, final SignalContext context) {
            return new LogNormalizer().normalize(body, context);
        }
    },
    /** Metric window or array of them. */
    METRIC {
        @Override
        public Normalized normalize(final JsonNode body, final SignalContext context) {
            return new MetricWindowNormalizer().normalize(body, context);
        }
    };

    public abstract Normalized normalize(JsonNode body, SignalContext context);

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
