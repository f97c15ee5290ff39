package aiops.app.bench;

import aiops.app.cli.ConfigOption;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.Role;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.ingest.IngestServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aiops bench ingest}: on a fresh embedded stack, measures in one run the raw producer ceiling for the same
 * record and settings, then the HTTP path under enough concurrent connections to keep the machine busy (single-alert
 * requests and 100-alert Alertmanager groups), and the latency of single-alert requests sent at a fixed rate (p50_ms,
 * p99_ms; counted from when each request was due). Load generator and server share this JVM and its cores.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Ingest throughput and latency: raw producer ceiling vs. the webhook path.")
public final class IngestBenchCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each measurement. Default: ${DEFAULT-VALUE}.")
    private int seconds;

    @Option(names = "--concurrency", defaultValue = "128",
            description = "Connections of the throughput runs, each sending its next request when the last is answered "
                    + "(the 100-alert run uses a quarter of them). Default: ${DEFAULT-VALUE}.")
    private int concurrency;

    @Option(names = "--paced-concurrency", defaultValue = "32",
            description = "Connections sharing the paced run's schedule. Default: ${DEFAULT-VALUE}.")
    private int pacedConcurrency;

    @Option(names = "--warmup", defaultValue = "30",
            description = "Seconds of load before measuring, so the JIT has compiled the request path. Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(names = "--paced-rate", defaultValue = "5000",
            description = "Requests/s of the paced run whose latency p50_ms and p99_ms report. Default: ${DEFAULT-VALUE}.")
    private int pacedRate;

    @Option(names = "--json", description = "Print only the JSON result line.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final AiopsConfig base = config.load();
        final Duration each = Duration.ofSeconds(seconds);
        try (EmbeddedRuntime runtime = EmbeddedRuntime.startFresh(base.with(CoreConfig.HTTP_PORT, "0"), "bench");
             IngestServer server = IngestServer.start(runtime.config(), runtime.kafka(), runtime.dataSource(),
                     new Readiness(), Metrics.newRegistry("bench"))) {
            final String key = new ApiKeyStore(runtime.dataSource()).create("bench", Role.USER, 100_000_000, null).key();
            final String url = "http://127.0.0.1:" + server.port();
            final String group = IngestBench.alertmanagerGroup(100);
            // Warm up JIT, connections and schema lookups before measuring.
            IngestBench.saturate(url + "/api/v1/alerts", key, IngestBench.GENERIC_ALERT, 1, concurrency,
                    Duration.ofSeconds(warmup));
            IngestBench.saturate(url + "/api/v1/webhooks/alertmanager", key, group, 100, Math.max(1, concurrency / 4),
                    Duration.ofSeconds(Math.max(1, warmup / 3)));

            final LoadResult raw = IngestBench.rawProducer(runtime.kafka(), each);
            progress(out, "raw producer", raw.recordsPerSecond(), "records/s", raw);
            final LoadResult single = IngestBench.saturate(url + "/api/v1/alerts", key, IngestBench.GENERIC_ALERT, 1,
                    concurrency, each);
            progress(out, "webhook, 1 alert per request", single.requestsPerSecond(), "requests/s", single);
            final LoadResult paced = IngestBench.paced(url + "/api/v1/alerts", key, IngestBench.GENERIC_ALERT, 1,
                    pacedConcurrency, each, pacedRate);
            progress(out, "webhook, 1 alert, paced", paced.requestsPerSecond(), "requests/s", paced);
            final LoadResult batched = IngestBench.saturate(url + "/api/v1/webhooks/alertmanager", key, group, 100,
                    Math.max(1, concurrency / 4), each);
            progress(out, "webhook, 100-alert groups", batched.recordsPerSecond(), "alerts/s", batched);

            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("raw_producer_records_per_s", round(raw.recordsPerSecond()));
            result.put("webhook_alerts_per_s_batched", round(batched.recordsPerSecond()));
            result.put("webhook_requests_per_s_single", round(single.requestsPerSecond()));
            result.put("p50_ms", round(paced.percentileMillis(50)));
            result.put("p99_ms", round(paced.percentileMillis(99)));
            result.put("paced_target_requests_per_s", pacedRate);
            result.put("paced_requests_per_s", round(paced.requestsPerSecond()));
            result.put("p99_ms_unpaced", round(single.percentileMillis(99)));
            result.put("ratio_batched_to_raw", round(batched.recordsPerSecond() / raw.recordsPerSecond()));
            result.put("concurrency", concurrency);
            result.put("paced_concurrency", pacedConcurrency);
            result.put("seconds_each", seconds);
            result.put("failed_requests", single.failures() + paced.failures() + batched.failures() + raw.failures());
            result.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(new ObjectMapper().writeValueAsString(result));
            out.flush();
        }
        return 0;
    }

    private void progress(final PrintWriter out, final String what, final double rate, final String unit,
                          final LoadResult r) {
        if (!json) {
            out.printf(Locale.ROOT, "%-30s %10.0f %-11s p50 %6.2f ms  p99 %6.2f ms  failures %d%n", what, rate, unit,
                    r.percentileMillis(50), r.percentileMillis(99), r.failures());
            out.flush();
        }
    }

    private static double round(final double v) {
        return Math.round(v * 100) / 100.0;
    }
}
