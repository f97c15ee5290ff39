package aiops.assistant.tools;

import aiops.assistant.store.OpsIndex;
import aiops.avro.ActionType;
import aiops.avro.RemediationProposal;
import aiops.common.auth.Role;
import aiops.common.redact.Redactor;
import aiops.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code propose_remediation}: puts a proposal on {@code aiops.remediation.proposals} for the remediator to judge with
 * its policy (an {@code auto} rule only queues it for approval). It executes nothing; it waits briefly for the
 * verdict so the caller sees it, and otherwise says where to look.
 */
public final class ProposalTool {

    private static final List<String> TYPES = Arrays.stream(ActionType.values()).filter(t -> t != ActionType.NONE)
            .map(t -> t.name().toLowerCase(Locale.ROOT)).toList();

    private final Producer<String, RemediationProposal> producer;
    private final OpsIndex index;
    private final Duration verdictWait;

    public ProposalTool(final Producer<String, RemediationProposal> producer, final OpsIndex index,
                        final Duration verdictWait) {
        this.producer = producer;
        this.index = index;
        this.verdictWait = verdictWait;
    }

    public ToolDef tool() {
        return new ToolDef("propose_remediation", "Propose a remediation action for an incident. It is judged by the"
                + " remediation policy and, if allowed, waits for a person's approval; it never runs by itself."
                + " Needs a user or admin key.",
                List.of(Param.text("incident_id", "Incident the action is for.", true),
                        Param.oneOf("action_type", "Action.", true, TYPES),
                        Param.text("service", "Catalogued service it targets.", true),
                        Param.integer("replicas_delta", "scale_deployment: replicas to add or remove.", -100, 100),
                        Param.integer("replicas", "scale_deployment: absolute replica count.", 0, 1000),
                        Param.integer("revision", "rollback_deployment: revision to roll back to.", 1, 1_000_000),
                        Param.text("pod", "delete_pod: pod name.", false),
                        Param.text("webhook", "webhook: configured endpoint name.", false),
                        Param.text("rationale", "Why, for the approver.", true)),
                Role.USER, true, this::propose);
    }

    private ToolResult propose(final ToolCall call) throws Exception {
        final String incidentId = call.text("incident_id");
        if (index.incident(incidentId).isEmpty()) {
            throw new ToolInputException("no incident " + incidentId);
        }
        final Map<String, String> parameters = new LinkedHashMap<>();
        for (final String p : List.of("replicas_delta", "replicas", "revision", "pod", "webhook")) {
            if (call.args().containsKey(p)) {
                parameters.put(p, call.args().get(p).toString());
            }
        }
        final String proposalId = "prop-" + UUID.randomUUID();
        final RemediationProposal proposal = RemediationProposal.newBuilder().setProposalId(proposalId)
                .setIncidentId(incidentId)
                .setActionType(ActionType.valueOf(call.text("action_type").toUpperCase(Locale.ROOT)))
                .setService(call.text("service")).setParameters(parameters)
                .setRationale(Redactor.redact(call.text("rationale")))
                .setProposedBy(call.principal().name()).setVia(call.door()).setCreatedAt(Instant.now())
                .setTraceParent(call.traceParent()).build();
        producer.send(new ProducerRecord<>(Topics.PROPOSALS.name(), incidentId, proposal)).get(15, TimeUnit.SECONDS);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("proposal_id", proposalId);
        body.put("incident_id", incidentId);
        final long deadline = System.nanoTime() + verdictWait.toNanos();
        List<Map<String, Object>> verdict = index.remediations(null, null, null, proposalId, 0, 1);
        while ((verdict.isEmpty() || "planned".equals(verdict.get(0).get("state"))) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            verdict = index.remediations(null, null, null, proposalId, 0, 1);
        }
        if (verdict.isEmpty()) {
            body.put("state", "submitted");
            body.put("next", "the remediator has not judged it yet; see list_remediations for incident " + incidentId);
            return ToolResult.of(body, List.of(new ToolResult.Citation("incident", incidentId)));
        }
        body.putAll(verdict.get(0));
        return ToolResult.of(body, List.of(new ToolResult.Citation("remediation",
                String.valueOf(verdict.get(0).get("action_id")))));
    }
}
