package aiops.analyzer.llm;

import aiops.analyzer.context.IncidentContext;
import aiops.avro.ActionType;
import aiops.avro.Hypothesis;
import aiops.avro.ProposedAction;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a model's JSON answer into hypotheses and actions the pipeline can trust: hypotheses must name a service of
 * the incident and cite evidence that exists; actions must be of a known type, target a catalogued workload of the
 * incident, and carry only parameters within bounds. Whatever fails is dropped and counted, never repaired by guessing.
 */
public final class AnswerParser {

    static final int MAX_HYPOTHESES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The usable part of an answer. */
    public record Parsed(String summary, List<Hypothesis> hypotheses, List<ProposedAction> actions, int dropped) {
    }

    /** The answer cannot be used at all; the message goes back to the model in the repair request. */
    public static final class InvalidAnswer extends Exception {
        public InvalidAnswer(final String message) {
            super(message);
        }
    }

    private AnswerParser() {
    }

    public static Parsed parse(final String text, final IncidentContext context) throws InvalidAnswer {
        final JsonNode root = readObject(text);
        final Set<String> evidence = context.evidenceIds();
        final Set<String> services = Set.copyOf(context.incident().getServices());
        int dropped = 0;
        final List<Hypothesis> hypotheses = new ArrayList<>();
        for (final JsonNode h : root.path("hypotheses")) {
            final String service = h.path("service").asText("");
            final List<String> cited = new ArrayList<>();
            h.path("evidence_ids").forEach(id -> {
                if (evidence.contains(id.asText())) {
                    cited.add(id.asText());
                }
            });
            if (!services.contains(service) || cited.isEmpty() || hypotheses.size() >= MAX_HYPOTHESES) {
                dropped++;
                continue;
            }
            hypotheses.add(Hypothesis.newBuilder().setRank(hypotheses.size() + 1).setService(service)
                    .setFault(fault(h.path("fault").asText("unknown"))).setDescription(text(h.path("description"), 1000))
                    .setConfidence(Math.max(0, Math.min(1, h.path("confidence").asDouble(0))))
                    .setEvidenceIds(cited).build());
        }
        if (hypotheses.isEmpty()) {
            throw new InvalidAnswer("no hypothesis names a service of the incident and cites ids from \"evidence\"");
        }
        final List<ProposedAction> actions = new ArrayList<>();
        for (final JsonNode a : root.path("actions")) {
            final ProposedAction action = action(a, context, hypotheses.size());
            if (action == null) {
                dropped++;
            } else {
                actions.add(action);
            }
        }
        return new Parsed(text(root.path("summary"), 2000), hypotheses, actions, dropped);
    }

    private static JsonNode readObject(final String text) throws InvalidAnswer {
        if (text == null || text.isBlank()) {
            throw new InvalidAnswer("the answer was empty");
        }
        String body = text.strip();
        if (body.startsWith("```")) {
            body = body.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        final int start = body.indexOf('{');
        final int end = body.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new InvalidAnswer("the answer held no JSON object");
        }
        try {
            final JsonNode root = JSON.readTree(body.substring(start, end + 1));
            if (!root.path("hypotheses").isArray()) {
                throw new InvalidAnswer("\"hypotheses\" must be an array");
            }
            return root;
        } catch (final JsonProcessingException e) {
            throw new InvalidAnswer("the JSON did not parse: " + e.getOriginalMessage());
        }
    }

    private static ProposedAction action(final JsonNode a, final IncidentContext context, final int hypotheses) {
        final ActionType type;
        try {
            type = ActionType.valueOf(a.path("action_type").asText("").toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            return null;
        }
        final String service = a.path("service").asText("");
        final boolean allowed = type == ActionType.NONE ? context.incident().getServices().contains(service)
                : context.actionTargets().contains(service);
        final int rank = a.path("hypothesis_rank").asInt(1);
        if (!allowed || rank < 1 || rank > hypotheses) {
            return null;
        }
        final Map<String, String> raw = new LinkedHashMap<>();
        a.path("parameters").forEach(p -> raw.put(p.path("key").asText(""), p.path("value").asText("")));
        final Map<String, String> parameters = parameters(type, raw);
        if (parameters == null) {
            return null;
        }
        return ProposedAction.newBuilder().setActionType(type).setService(service).setParameters(parameters)
                .setRationale(text(a.path("rationale"), 500)).setHypothesisRank(rank).build();
    }

    /** Only the parameters each action understands, within bounds; null when any is out of bounds or unknown. */
    static Map<String, String> parameters(final ActionType type, final Map<String, String> raw) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final Map.Entry<String, String> p : raw.entrySet()) {
            final boolean ok = switch (type) {
                case SCALE_DEPLOYMENT -> p.getKey().equals("replicas_delta") && p.getValue().matches("[+-]?[0-2]");
                case ROLLBACK_DEPLOYMENT -> p.getKey().equals("revision") && p.getValue().matches("\\d{1,9}");
                default -> false;
            };
            if (!ok) {
                return null;
            }
            out.put(p.getKey(), p.getValue());
        }
        if (type == ActionType.SCALE_DEPLOYMENT && !out.containsKey("replicas_delta")) {
            return null;
        }
        return out;
    }

    private static String fault(final String raw) {
        final String f = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return f.isEmpty() ? "unknown" : f.substring(0, Math.min(64, f.length()));
    }

    private static String text(final JsonNode n, final int max) {
        final String s = n.asText("");
        return s.length() <= max ? s : s.substring(0, max);
    }
}
