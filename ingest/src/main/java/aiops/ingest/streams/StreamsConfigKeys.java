package aiops.ingest.streams;

import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigKey;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the enrichment, deduplication and correlation topology. Durations are event time, except
 * {@code idleFlush} (wall-clock quiet after which the reorder buffer is flushed) and {@code partitionIdle} (wall-clock
 * silence after which an upstream partition stops holding the watermark back) and {@code dedupRetention} (wall-clock
 * time after which a fingerprint not seen again is forgotten; never shorter than the dedup and flap windows).
 */
public record StreamsConfigKeys(Duration dedupWindow, Duration flapWindow, int flapFlips, int correlationHops,
                                Duration correlationGap, Duration grace, Duration resolveDelay, Duration reopenWindow,
                                Duration idleFlush, Duration partitionIdle, int rawPartitions, double metricSigmas,
                                Duration dedupRetention) {

    public StreamsConfigKeys {
        dedupRetention = java.util.Collections.max(List.of(dedupRetention, dedupWindow, flapWindow));
    }

    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string("streams.application.id",
            "Kafka Streams application id (consumer group and state prefix).").defaultValue("aiops-streams");
    public static final ConfigKey<Integer> DEDUP_WINDOW_SECONDS = ConfigKey.integer("streams.dedup.window.seconds",
            "Repeats of the same alert status inside this window are absorbed and counted.").defaultValue("300")
            .range(1, 86_400);
    public static final ConfigKey<Integer> DEDUP_RETENTION_HOURS = ConfigKey.integer("streams.dedup.retention.hours",
            "A fingerprint not seen for this long is forgotten by deduplication (never sooner than the dedup and flap "
                    + "windows).").defaultValue("24").range(1, 8760);
    public static final ConfigKey<Integer> FLAP_WINDOW_SECONDS = ConfigKey.integer("streams.flap.window.seconds",
            "Window in which status flips are counted for flapping.").defaultValue("900").range(1, 86_400);
    public static final ConfigKey<Integer> FLAP_FLIPS = ConfigKey.integer("streams.flap.flips",
            "Status flips inside the flap window that mark an alert as flapping.").defaultValue("4").range(2, 1000);
    public static final ConfigKey<Integer> CORRELATION_HOPS = ConfigKey.integer("streams.correlation.hops",
            "An alert joins an incident holding a service at most this many dependency hops away.").defaultValue("2")
            .range(0, 10);
    public static final ConfigKey<Integer> CORRELATION_GAP_SECONDS = ConfigKey.integer("streams.correlation.gap.seconds",
            "An alert joins an incident only if the incident saw a signal this recently.").defaultValue("600")
            .range(1, 86_400);
    public static final ConfigKey<Integer> GRACE_SECONDS = ConfigKey.integer("streams.grace.seconds",
            "How late a signal may arrive and still be ordered by its event time.").defaultValue("120").range(0, 3600);
    public static final ConfigKey<Integer> RESOLVE_DELAY_SECONDS = ConfigKey.integer("streams.resolve.delay.seconds",
            "An incident resolves when all its alerts are resolved and it stayed quiet this long.").defaultValue("300")
            .range(0, 86_400);
    public static final ConfigKey<Integer> REOPEN_WINDOW_SECONDS = ConfigKey.integer("streams.reopen.window.seconds",
            "A resolved incident reopens when one of its alerts fires again within this window.").defaultValue("1800")
            .range(0, 86_400);

    public static final ConfigKey<Integer> METRIC_SIGMAS = ConfigKey.integer("streams.metric.sigmas",
            "A metric window this many standard deviations from its baseline is an anomaly.").defaultValue("4")
            .range(2, 20);

    public static final List<ConfigKey<?>> ALL = List.of(APPLICATION_ID, DEDUP_WINDOW_SECONDS, DEDUP_RETENTION_HOURS,
            FLAP_WINDOW_SECONDS,
            FLAP_FLIPS, CORRELATION_HOPS, CORRELATION_GAP_SECONDS, GRACE_SECONDS, RESOLVE_DELAY_SECONDS,
            REOPEN_WINDOW_SECONDS, METRIC_SIGMAS);

    public static StreamsConfigKeys defaults() {
        return new StreamsConfigKeys(Duration.ofMinutes(5), Duration.ofMinutes(15), 4, 2, Duration.ofMinutes(10),
                Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofSeconds(3),
                Duration.ofSeconds(30), Topics.ALERTS_RAW.partitions(), 4.0, Duration.ofHours(24));
    }

    /** The same settings for an input topic with {@code partitions} partitions. */
    public StreamsConfigKeys withRawPartitions(final int partitions) {
        return new StreamsConfigKeys(dedupWindow, flapWindow, flapFlips, correlationHops, correlationGap, grace,
                resolveDelay, reopenWindow, idleFlush, partitionIdle, partitions, metricSigmas, dedupRetention);
    }

    /** The same settings with another dedup retention. */
    public StreamsConfigKeys withDedupRetention(final Duration retention) {
        return new StreamsConfigKeys(dedupWindow, flapWindow, flapFlips, correlationHops, correlationGap, grace,
                resolveDelay, reopenWindow, idleFlush, partitionIdle, rawPartitions, metricSigmas, retention);
    }

    public static StreamsConfigKeys from(final AiopsConfig config) {
        return new StreamsConfigKeys(seconds(config, DEDUP_WINDOW_SECONDS), seconds(config, FLAP_WINDOW_SECONDS),
                config.get(FLAP_FLIPS), config.get(CORRELATION_HOPS), seconds(config, CORRELATION_GAP_SECONDS),
                seconds(config, GRACE_SECONDS), seconds(config, RESOLVE_DELAY_SECONDS),
                seconds(config, REOPEN_WINDOW_SECONDS), defaults().idleFlush(), defaults().partitionIdle(),
                defaults().rawPartitions(), config.get(METRIC_SIGMAS),
                Duration.ofHours(config.get(DEDUP_RETENTION_HOURS)));
    }

    private static Duration seconds(final AiopsConfig config, final ConfigKey<Integer> key) {
        return Duration.ofSeconds(config.get(key));
    }
}
