package aiops.common.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Requests answered, by method, route and status, with their latency ({@code aiops_http_requests_seconds}). The route
 * is the template a request matched ({@code /api/v1/remediations/{id}}), or {@code unmatched}, never the raw path, so
 * ids and scanners cannot multiply the series.
 */
final class HttpMetrics {

    /** The route of a request no route matched. */
    static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String method, String route, int status) {
    }

    HttpMetrics(final MeterRegistry registry) {
        this.registry = registry;
    }

    void record(final String method, final String route, final int status, final long nanos) {
        timers.computeIfAbsent(new Key(method, route, status), k -> Timer.builder("aiops_http_requests")
                .description("HTTP requests answered, by method, route template and status")
                .tag("method", k.method()).tag("route", k.route()).tag("status", Integer.toString(k.status()))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
