package aiops.remediator.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;

/**
 * The remediation policy as written in {@code policy.yaml}: a kill switch, the default mode, global limits, and rules
 * tried in order. Unknown keys and bad values are refused with the line they are on.
 *
 * @param killSwitch when true nothing is executed, whatever the rules say
 */
public record RemediationPolicy(@JsonProperty("kill_switch") Boolean killSwitch,
                                @JsonProperty("default_mode") Mode defaultMode,
                                @JsonProperty("limits") Limits limits,
                                @JsonProperty("rules") List<Rule> rules) {

    /** How an allowed action is carried out. */
    public enum Mode {
        @JsonProperty("dry-run") DRY_RUN,
        @JsonProperty("approve") APPROVE,
        @JsonProperty("auto") AUTO
    }

    /** Rate and blast-radius limits over all rules. */
    public record Limits(@JsonProperty("actions_per_service_per_hour") Integer actionsPerServicePerHour,
                         @JsonProperty("concurrent_actions") Integer concurrentActions,
                         @JsonProperty("distinct_services_per_window") Integer distinctServicesPerWindow,
                         @JsonProperty("window_minutes") Integer windowMinutes) {
        public static Limits defaults() {
            return new Limits(3, 2, 3, 15);
        }

        /** Unset limits take their defaults. */
        Limits withDefaults() {
            final Limits d = defaults();
            return new Limits(actionsPerServicePerHour == null ? d.actionsPerServicePerHour : actionsPerServicePerHour,
                    concurrentActions == null ? d.concurrentActions : concurrentActions,
                    distinctServicesPerWindow == null ? d.distinctServicesPerWindow : distinctServicesPerWindow,
                    windowMinutes == null ? d.windowMinutes : windowMinutes);
        }
    }

    /** What a rule matches (empty list = anything) and what it allows. */
    public record Match(@JsonProperty("services") List<String> services,
                        @JsonProperty("namespaces") List<String> namespaces,
                        @JsonProperty("tiers") List<Integer> tiers,
                        @JsonProperty("severities") List<String> severities,
                        @JsonProperty("actions") List<String> actions) {
    }

    /**
     * Parameter bounds of a rule. {@code max_replicas_delta} is checked by {@link PolicyEngine}; {@code max_replicas}
     * (default 10) and {@code min_replicas} (default 1) need the live replica count and are checked by the executor.
     */
    public record Bounds(@JsonProperty("max_replicas_delta") Integer maxReplicasDelta,
                         @JsonProperty("max_replicas") Integer maxReplicas,
                         @JsonProperty("min_replicas") Integer minReplicas) {
    }

    /** One rule; the first whose match fits decides. */
    public record Rule(@JsonProperty("name") String name, @JsonProperty("match") Match match,
                       @JsonProperty("mode") Mode mode, @JsonProperty("bounds") Bounds bounds) {
    }

    /** A policy file that cannot be used, with the line of the problem. */
    public static final class InvalidPolicyException extends Exception {
        public InvalidPolicyException(final String message) {
            super(message);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

    /** The policy when none is configured: everything dry-run, default limits. */
    public static RemediationPolicy dryRunOnly() {
        return new RemediationPolicy(false, Mode.DRY_RUN, Limits.defaults(), List.of());
    }

    private static int lineOf(final String yaml, final String key, final int fallback) {
        final java.util.regex.Pattern pattern = java.util.regex.Pattern.compile("^[\\s-]*" + java.util.regex.Pattern.quote(key)
                + "\\s*:");
        final List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return fallback;
    }

    public static RemediationPolicy parse(final String yaml, final String origin) throws InvalidPolicyException {
        if (yaml.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            return dryRunOnly();
        }
        final RemediationPolicy raw;
        try {
            raw = YAML.readValue(yaml, RemediationPolicy.class);
        } catch (final JsonProcessingException e) {
            final JsonLocation at = e.getLocation();
            int line = at == null ? -1 : at.getLineNr();
            if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
                // Records are built after the whole object is read, so the parser is past the key: find the key.
                line = lineOf(yaml, unknown.getPropertyName(), line);
            }
            throw new InvalidPolicyException(origin + (line < 0 ? "" : ":" + line) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("invalid"));
        }
        if (raw == null) {
            return dryRunOnly();
        }
        final Limits limits = raw.limits() == null ? Limits.defaults() : raw.limits().withDefaults();
        if (limits.actionsPerServicePerHour() < 0 || limits.concurrentActions() < 0
                || limits.distinctServicesPerWindow() < 0 || limits.windowMinutes() < 1) {
            throw new InvalidPolicyException(origin + ": limits must not be negative and window_minutes at least 1");
        }
        final List<Rule> rules = raw.rules() == null ? List.of() : raw.rules();
        for (int i = 0; i < rules.size(); i++) {
            final Rule r = rules.get(i);
            if (r.mode() == null) {
                throw new InvalidPolicyException(origin + ": rules[" + i + "] needs a mode (dry-run, approve or auto)");
            }
            final Bounds b = r.bounds();
            if (b != null && b.maxReplicasDelta() != null && b.maxReplicasDelta() < 0) {
                throw new InvalidPolicyException(origin + ": rules[" + i + "].bounds.max_replicas_delta must be >= 0");
            }
            if (b != null && (b.minReplicas() != null && b.minReplicas() < 0
                    || b.maxReplicas() != null && b.maxReplicas() < (b.minReplicas() == null ? 1 : b.minReplicas()))) {
                throw new InvalidPolicyException(origin + ": rules[" + i
                        + "].bounds need 0 <= min_replicas <= max_replicas (min defaults to 1)");
            }
        }
        return new RemediationPolicy(Boolean.TRUE.equals(raw.killSwitch()), raw.defaultMode() == null ? Mode.DRY_RUN : raw.defaultMode(),
                limits, rules);
    }
}
