package aiops.analyzer;

import aiops.analyzer.context.CatalogGraph;
import aiops.analyzer.context.ContextBuilder;
import aiops.analyzer.context.IncidentContext;
import aiops.analyzer.context.PromptRenderer;
import aiops.analyzer.context.SimilarIncident;
import aiops.analyzer.similar.SimilarIncidents;
import aiops.avro.Analysis;
import aiops.avro.CachedAnswer;
import aiops.avro.Incident;
import aiops.avro.LlmUsage;
import dev.langchain4j.data.embedding.Embedding;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/** One incident version in, one analysis and its usage records out: context, similar incidents, analyst, records. */
public final class AnalysisEngine {

    /** Everything one analysis produces, and how large its prompt was against the naive one. */
    public record Outcome(Analysis analysis, List<LlmUsage> usages, CachedAnswer cacheWrite, long promptTokens,
                          long naivePromptTokens, int redactions) {
    }

    private final Supplier<CatalogGraph> catalog;
    private final Analyst analyst;
    private final SimilarIncidents similar;
    private final Clock clock;

    /** {@code similar} may be null: no similar-incident lookup. */
    public AnalysisEngine(final Supplier<CatalogGraph> catalog, final Analyst analyst, final SimilarIncidents similar,
                          final Clock clock) {
        this.catalog = catalog;
        this.analyst = analyst;
        this.similar = similar;
        this.clock = clock;
    }

    public Outcome analyse(final Incident incident) {
        final long started = System.nanoTime();
        final CatalogGraph graph = catalog.get();
        IncidentContext context = ContextBuilder.build(incident, graph, List.of());
        final Embedding embedding = similar == null ? null : similar.embed(context.evidence());
        if (similar != null) {
            final List<SimilarIncident> found = similar.find(incident.getReplayRunId(), incident.getIncidentId(),
                    embedding, 3);
            if (!found.isEmpty()) {
                context = ContextBuilder.build(incident, graph, found);
            }
        }
        final AnalystAnswer answer = analyst.analyse(context);
        final long latencyMs = (System.nanoTime() - started) / 1_000_000;
        final Analysis analysis = OutputAssembler.analysis(incident, context, answer, latencyMs, clock.instant());
        final List<LlmUsage> usages = OutputAssembler.usages(analysis, answer, context);
        if (similar != null && !analysis.getHypotheses().isEmpty()) {
            similar.remember(incident.getReplayRunId(), incident.getIncidentId(), embedding,
                    analysis.getHypotheses().get(0).getService(), analysis.getHypotheses().get(0).getFault(),
                    analysis.getSummary());
        }
        final PromptRenderer.Prompt prompt = PromptRenderer.render(context);
        return new Outcome(analysis, usages, answer.cacheWrite(), PromptRenderer.Prompt.tokens(prompt.chars()),
                PromptRenderer.Prompt.tokens(prompt.naiveChars()), context.redactions());
    }

    /** Restores similar-incident memory from an earlier analysis. */
    public void remember(final Analysis analysis) {
        if (similar != null && !analysis.getHypotheses().isEmpty()) {
            similar.remember(analysis.getReplayRunId(), analysis.getIncidentId(), similar.embed(analysis.getEvidence()),
                    analysis.getHypotheses().get(0).getService(),
                    analysis.getHypotheses().get(0).getFault(), analysis.getSummary());
        }
    }
}
