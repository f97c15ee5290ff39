package aiops.analyzer;

import aiops.analyzer.context.IncidentContext;
import aiops.analyzer.worker.IncidentSignature;
import aiops.avro.Analysis;
import aiops.avro.Incident;
import aiops.avro.LlmUsage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Builds the Avro records of one analysis. Ids are derived from the incident version, so redoing an analysis after a
 * crash yields the same analysis id and the same usage ids, which the ledger deduplicates on.
 */
public final class OutputAssembler {

    private OutputAssembler() {
    }

    public static String analysisId(final String incidentId, final int version) {
        return "an-" + sha256(incidentId + "/" + version).substring(0, 24);
    }

    public static String usageId(final String analysisId, final int call) {
        return "u-" + sha256(analysisId + "/" + call).substring(0, 32);
    }

    static Analysis analysis(final Incident incident, final IncidentContext context, final AnalystAnswer answer,
                             final long latencyMs, final Instant createdAt) {
        final BigDecimal cost = answer.calls().stream().map(LlmCall::costUsd).filter(Objects::nonNull)
                .reduce(BigDecimal::add).orElse(answer.calls().isEmpty() ? null : BigDecimal.ZERO.setScale(10));
        return Analysis.newBuilder().setAnalysisId(analysisId(incident.getIncidentId(), incident.getVersion()))
                .setIncidentId(incident.getIncidentId()).setIncidentVersion(incident.getVersion())
                .setAnalyst(answer.analyst()).setProvider(answer.provider()).setModel(answer.model())
                .setDegraded(answer.degradedReason() != null).setDegradedReason(answer.degradedReason())
                .setSummary(answer.summary()).setEvidence(context.evidence()).setHypotheses(answer.hypotheses())
                .setActions(answer.actions()).setPromptTokens(answer.promptTokens())
                .setCompletionTokens(answer.completionTokens()).setCachedTokens(answer.cachedTokens())
                .setCostUsd(cost == null ? null : cost.setScale(10)).setLatencyMs(latencyMs).setCreatedAt(createdAt)
                .setIncidentSignature(IncidentSignature.of(incident)).setReplayRunId(incident.getReplayRunId())
                .setTraceParent(incident.getTraceParent()).build();
    }

    static List<LlmUsage> usages(final Analysis analysis, final AnalystAnswer answer, final IncidentContext context) {
        final String service = analysis.getHypotheses().isEmpty() ? context.incident().getServices().stream()
                .findFirst().orElse(null) : analysis.getHypotheses().get(0).getService();
        final String team = service == null ? null : context.catalog().entry(service)
                .map(e -> e.getTeam() != null ? e.getTeam() : e.getOwner()).orElse(null);
        final List<LlmUsage> out = new ArrayList<>();
        for (int i = 0; i < answer.calls().size(); i++) {
            final LlmCall c = answer.calls().get(i);
            out.add(LlmUsage.newBuilder().setUsageId(usageId(analysis.getAnalysisId(), i))
                    .setOccurredAt(Instant.ofEpochMilli(c.occurredAt())).setIncidentId(analysis.getIncidentId())
                    .setAnalysisId(analysis.getAnalysisId()).setService(service).setTeam(team)
                    .setProvider(c.provider()).setModel(c.model()).setPurpose(c.purpose())
                    .setInputTokens(c.inputTokens()).setOutputTokens(c.outputTokens())
                    .setCachedInputTokens(c.cachedInputTokens()).setLatencyMs(c.latencyMs()).setOutcome(c.outcome())
                    .setCached(c.cached()).setEstimated(c.estimated())
                    .setCostUsd(c.costUsd() == null ? null : c.costUsd().setScale(10))
                    .setReplayRunId(analysis.getReplayRunId()).setTraceParent(analysis.getTraceParent()).build());
        }
        return out;
    }

    private static String sha256(final String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
