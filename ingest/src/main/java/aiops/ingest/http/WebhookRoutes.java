package aiops.ingest.http;

import aiops.avro.AlertEvent;
import aiops.avro.LogRecord;
import aiops.avro.MetricWindow;
import aiops.common.auth.HmacVerifier;
import aiops.common.auth.Role;
import aiops.common.http.ApiError;
import aiops.common.http.PostRoute;
import aiops.common.http.TraceContext;
import aiops.ingest.normalize.InvalidSignalException;
import aiops.ingest.normalize.Normalized;
import aiops.ingest.normalize.SignalContext;
import aiops.ingest.normalize.SignalKind;
import aiops.ingest.publish.SignalSink;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The signal receivers. Each accepts one kind of JSON body, normalises it and answers 202 with the ids of the records
 * written, only after Kafka acknowledged all of them; when Kafka cannot be reached it answers 503 with Retry-After.
 */
public final class WebhookRoutes {

    /** Path of each receiver. */
    public static final Map<SignalKind, String> PATHS = Map.of(
            SignalKind.ALERTMANAGER, "/api/v1/webhooks/alertmanager",
            SignalKind.GRAFANA, "/api/v1/webhooks/grafana",
            SignalKind.PAGERDUTY, "/api/v1/webhooks/pagerduty",
            SignalKind.DATADOG, "/api/v1/webhooks/datadog",
            SignalKind.GENERIC, "/api/v1/alerts",
            SignalKind.LOG, "/api/v1/logs",
            SignalKind.METRIC, "/api/v1/metrics/windows");

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignalSink publisher;
    private final HmacVerifier hmac;
    private final Clock clock;
    private final Map<SignalKind, Outcomes> counters;

    public WebhookRoutes(final SignalSink publisher, final HmacVerifier hmac, final Clock clock,
                         final MeterRegistry metrics) {
        this.publisher = publisher;
        this.hmac = hmac;
        this.clock = clock;
        this.counters = counters(metrics);
    }

    /** One route per receiver, each needing the user role. */
    public List<PostRoute> routes() {
        return PATHS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new PostRoute(e.getValue(), Role.USER, request -> receive(request, e.getKey()))).toList();
    }

    private CompletionStage<PostRoute.Answer> receive(final PostRoute.Request request, final SignalKind kind) {
        final String source = kind.name().toLowerCase(Locale.ROOT);
        requireJson(request.header("Content-Type"));
        final byte[] bytes = request.body();
        hmac.verify(source, bytes, request.header(HmacVerifier.TIMESTAMP_HEADER),
                request.header(HmacVerifier.SIGNATURE_HEADER));
        final JsonNode body = parse(bytes);
        final TraceContext trace = request.trace();
        final SignalContext context = new SignalContext(clock.instant(), null, trace.traceparent());
        final Normalized records = normalize(kind, body, context);
        final PostRoute.Answer accepted = new PostRoute.Answer(202, acceptedAnswer(records));
        // Answered when Kafka acknowledged, on the producer's network thread, which completes every request of a batch
        // in turn: no request thread waits for the broker, and the answer is serialised here, before the send.
        return publisher.publishAsync(records, context).handle((n, failure) -> {
            if (failure != null) {
                throw unavailable(kind, failure instanceof CompletionException ? failure.getCause() : failure, trace);
            }
            counters.get(kind).accepted().increment(records.size());
            return accepted;
        });
    }

    private ApiError unavailable(final SignalKind kind, final Throwable cause, final TraceContext trace) {
        counters.get(kind).unavailable().increment();
        MDC.put("trace_id", trace.traceId());
        try {
            LOG.warn("{} webhook refused with 503: {}", kind.name().toLowerCase(Locale.ROOT), cause.getMessage());
        } finally {
            MDC.remove("trace_id");
        }
        return new ApiError(503, "kafka_unavailable", "the event log is unavailable; nothing was accepted, retry later",
                null, Map.of("Retry-After", "5"));
    }

    private static void requireJson(final String type) {
        final String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!"application/json".equals(mime) && !mime.endsWith("+json")) {
            throw new ApiError(415, "unsupported_media_type", "send Content-Type: application/json", null, Map.of());
        }
    }

    private static JsonNode parse(final byte[] bytes) {
        try {
            final JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiError.badRequest("invalid_json", "the body is empty", "body");
            }
            return node;
        } catch (JacksonException e) {
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage(), "body");
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("invalid_json", "the body could not be read", "body");
        }
    }

    private static Normalized normalize(final SignalKind kind, final JsonNode body, final SignalContext context) {
        try {
            return kind.normalize(body, context);
        } catch (InvalidSignalException e) {
            throw ApiError.badRequest("invalid_field", e.getMessage(), e.field());
        } catch (RuntimeException e) {
            // A shape no rule anticipated is still the sender's bad input, never a server error.
            LOG.debug("{} body refused", kind, e);
            throw ApiError.badRequest("invalid_payload", "the body does not follow the " + kind.name()
                    .toLowerCase(Locale.ROOT) + " format", "body");
        }
    }

    private static String acceptedAnswer(final Normalized records) {
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", records.size());
        answer.put("ids", ids(records));
        try {
            return JSON.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of ids is always JSON", e);
        }
    }

    private static List<String> ids(final Normalized records) {
        final List<String> ids = new ArrayList<>(records.size());
        records.alerts().stream().map(AlertEvent::getEventId).forEach(ids::add);
        records.logs().stream().map(LogRecord::getEventId).forEach(ids::add);
        for (final MetricWindow m : records.metrics()) {
            ids.add(m.getService() + "/" + m.getMetric() + "@" + m.getWindowStart());
        }
        return ids;
    }

    private record Outcomes(Counter accepted, Counter unavailable) {
    }

    private static Map<SignalKind, Outcomes> counters(final MeterRegistry metrics) {
        final Map<SignalKind, Outcomes> counters = new EnumMap<>(SignalKind.class);
        for (final SignalKind kind : SignalKind.values()) {
            counters.put(kind, new Outcomes(counter(metrics, kind, "accepted"), counter(metrics, kind, "unavailable")));
        }
        return counters;
    }

    private static Counter counter(final MeterRegistry metrics, final SignalKind kind, final String outcome) {
        return Counter.builder("aiops_ingest_records").tag("source", kind.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome).description("Signal records accepted or refused at the edge").register(metrics);
    }
}
