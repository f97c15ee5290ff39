package aiops.analyzer.offline;

import aiops.avro.ActionType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Known fault classes, the text that gives each away (alert names, log templates, metric names), and what an
 * operator would do about it. Symptoms (latency, errors, failed calls) point at a callee and are not causes.
 */
public final class FaultSignatures {

    /** A fault class, its tell-tale text, and the action that usually helps. */
    public record Signature(String fault, Pattern pattern, ActionType action, String advice) {
    }

    static final List<Signature> CAUSES = List.of(
            sig("oom_killed", "oom|out ?of ?memory|outofmemoryerror|memory_used|heap space", ActionType.RESTART_DEPLOYMENT,
                    "restart to recover now; raise the memory limit or fix the leak"),
            sig("crashloop_after_deploy", "crashloop|back-off restarting|crash ?looping|rollout|deploy(ment)? (failed|revision)",
                    ActionType.ROLLBACK_DEPLOYMENT, "roll back to the previous revision"),
            sig("bad_config", "invalid configuration|config(uration)? (error|invalid)|missing required key",
                    ActionType.ROLLBACK_DEPLOYMENT, "roll back the configuration change"),
            sig("connection_pool_exhaustion", "connection slots|connections? ?(used|saturat|exhaust)|too many (clients|connections)"
                    + "|pool (exhausted|timeout)|connections_used", ActionType.SCALE_DEPLOYMENT,
                    "scale the database up or the callers down; look for connection leaks"),
            sig("disk_full", "no space left|filesystem.*(space|full)|disk_used|disk (full|pressure)", ActionType.NONE,
                    "free or expand the volume"),
            sig("certificate_expired", "x509|certificate (has )?expired|tls ?handshake|ssl", ActionType.NONE,
                    "renew and roll out the certificate"),
            sig("network_partition", "no route to host|targetdown|target down|network unreachable|connection refused",
                    ActionType.NONE, "check network policy and node health"),
            sig("dependency_timeout", "upstream (request )?timed out|upstreamtimeouts|deadline exceeded",
                    ActionType.RESTART_DEPLOYMENT, "restart the stuck service; check its own dependencies"));

    private static final Pattern SYMPTOM = Pattern.compile(
            "latency|errorrate|error rate|5\\d\\d|failed: status|slo burn|unavailable", Pattern.CASE_INSENSITIVE);

    private FaultSignatures() {
    }

    private static Signature sig(final String fault, final String regex, final ActionType action, final String advice) {
        return new Signature(fault, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), action, advice);
    }

    /** The first cause signature the text shows. */
    public static Optional<Signature> cause(final String text) {
        final String t = text.toLowerCase(Locale.ROOT);
        return CAUSES.stream().filter(s -> s.pattern().matcher(t).find()).findFirst();
    }

    public static Optional<Signature> byFault(final String fault) {
        return CAUSES.stream().filter(s -> s.fault().equals(fault)).findFirst();
    }

    public static boolean symptom(final String text) {
        return SYMPTOM.matcher(text).find();
    }
}
