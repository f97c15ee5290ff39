package aiops.analyzer.similar;

import aiops.analyzer.context.SimilarIncident;
import aiops.avro.Evidence;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * Past incidents and what they turned out to be, found again by meaning: each analysed incident is embedded with the
 * in-process all-MiniLM-L6-v2 model (quantised, shipped inside its jar, no network) from its alert names, anomaly kinds
 * and services, and new incidents are compared by cosine similarity. Keeps the most recent {@code capacity} incidents.
 * A replay run learns apart: its incidents are precedent only within that run, never for live traffic or another
 * run, so two replays of the same signals see the same history, and a replay never teaches live analysis.
 */
public final class SimilarIncidents {

    /** One remembered incident. */
    private record Entry(String run, String incidentId, String rootService, String fault, String summary,
                         Embedding embedding) {
    }

    private final EmbeddingModel model;
    private final int capacity;
    private final double minScore;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public SimilarIncidents(final EmbeddingModel model, final int capacity, final double minScore) {
        this.model = model;
        this.capacity = capacity;
        this.minScore = minScore;
    }

    public static SimilarIncidents inProcess() {
        return new SimilarIncidents(new AllMiniLmL6V2QuantizedEmbeddingModel(), 2_000, 0.8);
    }

    /** The text an incident is embedded from: what fired where, without ids or times. */
    public static String text(final List<Evidence> evidence) {
        final TreeSet<String> facts = new TreeSet<>();
        for (final Evidence e : evidence) {
            if (e.getService() == null) {
                continue;
            }
            switch (e.getKind()) {
                case "alert" -> facts.add(e.getService() + " " + e.getSummary().split(" ")[1]);
                case "metric_anomaly", "log_template" -> facts.add(e.getService() + " " + e.getSummary().split(" ")[0]);
                default -> { }
            }
        }
        return String.join(". ", facts);
    }

    /** The embedding of an incident's facts, or null when it has none to embed. */
    public Embedding embed(final List<Evidence> evidence) {
        final String text = text(evidence);
        return text.isEmpty() ? null : model.embed(text).content();
    }

    /** @param run the replay run asking, or null for live traffic: it sees live history and its own run's */
    public List<SimilarIncident> find(final String run, final String incidentId, final Embedding query, final int limit) {
        if (query == null) {
            return List.of();
        }
        synchronized (entries) {
            return entries.stream().filter(e -> !e.incidentId().equals(incidentId))
                    .filter(e -> e.run() == null || e.run().equals(run))
                    .map(e -> new SimilarIncident(e.incidentId(), e.rootService(), e.fault(),
                            Math.round(CosineSimilarity.between(query, e.embedding()) * 1000) / 1000.0, e.summary()))
                    .filter(s -> s.score() >= minScore)
                    .sorted(Comparator.comparingDouble(SimilarIncident::score).reversed()).limit(limit).toList();
        }
    }

    public void remember(final String run, final String incidentId, final Embedding embedding,
                         final String rootService, final String fault, final String summary) {
        if (embedding == null) {
            return;
        }
        synchronized (entries) {
            entries.removeIf(e -> e.incidentId().equals(incidentId));
            entries.addLast(new Entry(run, incidentId, rootService, fault, summary.length() > 200
                    ? summary.substring(0, 200) : summary, embedding));
            while (entries.size() > capacity) {
                // Replays make way first: a large replay must not push live history out.
                final Entry oldestReplay = entries.stream().filter(e -> e.run() != null).findFirst().orElse(null);
                if (oldestReplay != null) {
                    entries.remove(oldestReplay);
                } else {
                    entries.removeFirst();
                }
            }
        }
    }
}
