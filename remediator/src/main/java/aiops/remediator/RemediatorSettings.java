package aiops.remediator;

import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigException;
import aiops.common.config.ConfigKey;
import aiops.remediator.notify.NotifyConfig;
import aiops.remediator.policy.RemediationPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keys of the remediator and the notifier.
 *
 * @param replaySideEffects replay run ids whose records may act and notify for real ({@code *} for any); empty:
 *                          replayed records are dry-run only and notify nobody outside
 * @param webhookUrls       the runbook-automation endpoints a {@code webhook} action may call, by name: an action can
 *                          only name one of these, never bring its own URL
 */
public record RemediatorSettings(String groupId, String instanceId, RemediationPolicy policy, Duration approvalTtl,
                                 Duration verifyTimeout, Set<String> replaySideEffects, Map<String, String> webhookUrls,
                                 String webhookSecret, Path notifyFile, int notifyMaxAttempts) {

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("remediator.group.id",
            "Consumer group prefix of the remediator (offsets live in its database).").defaultValue("aiops-remediator");
    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.string("remediator.instance.id",
            "Stable, unique per running instance: actions it was executing when it died are reconciled by it at start.");
    public static final ConfigKey<String> POLICY_FILE = ConfigKey.string("remediator.policy.file",
            "Remediation policy YAML (rules, modes, bounds, limits, kill switch); unset: everything is dry-run.");
    public static final ConfigKey<Integer> APPROVAL_TTL_MINUTES = ConfigKey.integer("remediator.approval.ttl.minutes",
            "Actions waiting for approval expire after this long.").defaultValue("60").range(1, 10_080);
    public static final ConfigKey<Integer> VERIFY_TIMEOUT_SECONDS = ConfigKey.integer(
            "remediator.verify.timeout.seconds", "How long an applied action may take to roll out before it counts as failed.")
            .defaultValue("300").range(1, 3_600);
    public static final ConfigKey<String> REPLAY_SIDE_EFFECTS = ConfigKey.string("remediator.replay.side.effects",
            "Replay run ids (comma-separated, or *) whose records may execute actions and notify for real.");
    public static final ConfigKey<String> WEBHOOK_URLS = ConfigKey.string("remediator.webhook.urls",
            "name=url[,name=url]: runbook automation endpoints that webhook actions may call by name.").secret();
    public static final ConfigKey<String> WEBHOOK_SECRET = ConfigKey.string("remediator.webhook.secret",
            "HMAC-SHA256 key signing action webhooks (X-Aiops-Timestamp, X-Aiops-Signature).").secret();
    public static final ConfigKey<String> NOTIFY_FILE = ConfigKey.string("notify.file",
            "Notification channels and routes YAML; unset: notifications go to the log channel only.");
    public static final ConfigKey<Integer> NOTIFY_MAX_ATTEMPTS = ConfigKey.integer("notify.max.attempts",
            "Delivery attempts per notification and channel before it is marked failed.").defaultValue("6").range(1, 50);

    public static final List<ConfigKey<?>> ALL = List.of(GROUP_ID, INSTANCE_ID, POLICY_FILE, APPROVAL_TTL_MINUTES,
            VERIFY_TIMEOUT_SECONDS, REPLAY_SIDE_EFFECTS, WEBHOOK_URLS, WEBHOOK_SECRET, NOTIFY_FILE, NOTIFY_MAX_ATTEMPTS);

    /** Reads and validates everything, the policy file included; every problem names its key or line. */
    public static RemediatorSettings from(final AiopsConfig config) {
        final RemediationPolicy policy = config.optional(POLICY_FILE).map(f -> readPolicy(Path.of(f)))
                .orElse(RemediationPolicy.dryRunOnly());
        final Path notify = config.optional(NOTIFY_FILE).map(Path::of).orElse(null);
        if (notify != null) {
            try {
                NotifyConfig.parse(Files.readString(notify), notify.toString(), System::getenv);
            } catch (final IOException e) {
                throw new ConfigException(NOTIFY_FILE, "cannot read " + notify + ": " + e.getMessage());
            } catch (final NotifyConfig.InvalidNotifyConfigException e) {
                throw new ConfigException(NOTIFY_FILE, e.getMessage());
            }
        }
        return new RemediatorSettings(config.get(GROUP_ID),
                config.optional(INSTANCE_ID).orElseGet(aiops.common.config.CoreConfig::hostName), policy,
                Duration.ofMinutes(config.get(APPROVAL_TTL_MINUTES)), Duration.ofSeconds(config.get(VERIFY_TIMEOUT_SECONDS)),
                config.optional(REPLAY_SIDE_EFFECTS).map(RemediatorSettings::list).orElse(Set.of()),
                config.optional(WEBHOOK_URLS).map(RemediatorSettings::pairs).orElse(Map.of()),
                config.optional(WEBHOOK_SECRET).orElse(null), notify, config.get(NOTIFY_MAX_ATTEMPTS));
    }

    /** Dry-run everything, notify the log only: the embedded demo's settings. */
    public static RemediatorSettings defaults(final String instanceId) {
        return new RemediatorSettings("aiops-remediator", instanceId, RemediationPolicy.dryRunOnly(),
                Duration.ofHours(1), Duration.ofMinutes(5), Set.of(), Map.of(), null, null, 6);
    }

    public RemediatorSettings withPolicy(final RemediationPolicy p) {
        return new RemediatorSettings(groupId, instanceId, p, approvalTtl, verifyTimeout, replaySideEffects,
                webhookUrls, webhookSecret, notifyFile, notifyMaxAttempts);
    }

    public RemediatorSettings withVerifyTimeout(final Duration d) {
        return new RemediatorSettings(groupId, instanceId, policy, approvalTtl, d, replaySideEffects, webhookUrls,
                webhookSecret, notifyFile, notifyMaxAttempts);
    }

    public RemediatorSettings withWebhooks(final Map<String, String> urls, final String secret) {
        return new RemediatorSettings(groupId, instanceId, policy, approvalTtl, verifyTimeout, replaySideEffects, urls,
                secret, notifyFile, notifyMaxAttempts);
    }

    public RemediatorSettings withNotifyFile(final Path file) {
        return new RemediatorSettings(groupId, instanceId, policy, approvalTtl, verifyTimeout, replaySideEffects,
                webhookUrls, webhookSecret, file, notifyMaxAttempts);
    }

    public RemediatorSettings withReplaySideEffects(final Set<String> runs) {
        return new RemediatorSettings(groupId, instanceId, policy, approvalTtl, verifyTimeout, runs, webhookUrls,
                webhookSecret, notifyFile, notifyMaxAttempts);
    }

    /** True when records of this replay run (null = live traffic) may have real effects. */
    public boolean sideEffectsAllowed(final String replayRun) {
        return replayRun == null || replaySideEffects.contains("*") || replaySideEffects.contains(replayRun);
    }

    private static RemediationPolicy readPolicy(final Path file) {
        try {
            return RemediationPolicy.parse(Files.readString(file), file.toString());
        } catch (final IOException e) {
            throw new ConfigException(POLICY_FILE, "cannot read " + file + ": " + e.getMessage());
        } catch (final RemediationPolicy.InvalidPolicyException e) {
            throw new ConfigException(POLICY_FILE, e.getMessage());
        }
    }

    private static Set<String> list(final String raw) {
        return Set.of(raw.split("\\s*,\\s*"));
    }

    private static Map<String, String> pairs(final String raw) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String pair : raw.split(",")) {
            final int eq = pair.indexOf('=');
            final String name = eq < 0 ? "" : pair.substring(0, eq).trim();
            final String url = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (!name.matches("[A-Za-z0-9_.-]{1,64}") || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new ConfigException(WEBHOOK_URLS, "expected name=http(s)://url, got an entry without them");
            }
            out.put(name, url);
        }
        return Map.copyOf(out);
    }
}
