package aiops.analyzer.context;

import aiops.avro.Evidence;
import aiops.avro.Incident;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything an analyst may look at for one incident version: the incident, the catalogue around it, and the
 * redacted evidence list whose ids hypotheses must cite.
 *
 * @param actionTargets catalogued services of the incident that have a Kubernetes workload: the only action targets
 */
public record IncidentContext(Incident incident, CatalogGraph catalog, List<Evidence> evidence,
                              List<SimilarIncident> similar, Set<String> actionTargets, int redactions) {

    public IncidentContext {
        evidence = List.copyOf(evidence);
        similar = List.copyOf(similar);
        actionTargets = Set.copyOf(actionTargets);
    }

    public Set<String> evidenceIds() {
        return evidence.stream().map(Evidence::getId).collect(Collectors.toUnmodifiableSet());
    }

    public Map<String, List<Evidence>> evidenceByService() {
        return evidence.stream().filter(e -> e.getService() != null)
                .collect(Collectors.groupingBy(Evidence::getService));
    }
}
