package aiops.analyzer.context;

/** A past incident that looks like this one, and what it was found to be. */
public record SimilarIncident(String incidentId, String rootService, String fault, double score, String summary) {
}
