package aiops.remediator.api;

import aiops.common.auth.Principal;
import aiops.common.auth.Role;
import aiops.common.http.ApiError;
import aiops.common.http.ApiServer;
import aiops.remediator.Approvals;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.ActionStore;
import aiops.remediator.store.RemediationAction;
import aiops.remediator.store.Tx;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code /api/v1/remediations}: readonly callers list and read actions with their audit trail; admins approve or
 * reject pending ones. Approval re-runs the policy's limits and kill switch, so it can never widen what is allowed.
 */
public final class RemediationRoutes {

    private final DataSource db;
    private final Approvals approvals;

    public RemediationRoutes(final DataSource db, final Approvals approvals) {
        this.db = db;
        this.approvals = approvals;
    }

    public void register(final RoutesConfig routes) {
        routes.get("/api/v1/remediations", this::list, Role.READONLY);
        routes.get("/api/v1/remediations/{id}", this::one, Role.READONLY);
        routes.post("/api/v1/remediations/{id}/approve", ctx -> decide(ctx, true), Role.ADMIN);
        routes.post("/api/v1/remediations/{id}/reject", ctx -> decide(ctx, false), Role.ADMIN);
    }

    private void list(final Context ctx) throws SQLException {
        final String stateText = ctx.queryParamAsClass("state", String.class).getOrDefault("all");
        final ActionState state = stateText.equalsIgnoreCase("all") ? null : ActionState.parse(stateText);
        if (state == null && !stateText.equalsIgnoreCase("all")) {
            throw ApiError.badRequest("invalid_field", "all, pending or one of " + List.of(ActionState.values())
                    .toString().toLowerCase(Locale.ROOT), "state");
        }
        final int limit = ctx.queryParamAsClass("limit", Integer.class).check(n -> n > 0 && n <= 1000, "1..1000")
                .getOrDefault(100);
        final List<RemediationAction> actions = Tx.run(db, c -> ActionStore.list(c, state, ctx.queryParam("incident"),
                limit));
        ctx.json(Map.of("remediations", actions.stream().map(RemediationRoutes::json).toList()));
    }

    private void one(final Context ctx) throws SQLException {
        final String id = ctx.pathParam("id");
        final Map<String, Object> out = Tx.run(db, c -> {
            final RemediationAction a = ActionStore.find(c, id).orElseThrow(() -> notFound(id));
            final Map<String, Object> doc = json(a);
            doc.put("log", ActionStore.log(c, id));
            return doc;
        });
        ctx.json(out);
    }

    private void decide(final Context ctx, final boolean approve) throws SQLException {
        final String id = ctx.pathParam("id");
        final Principal who = ApiServer.principal(ctx);
        final Approvals.Result r = approve ? approvals.approve(id, who.id()) : approvals.reject(id, who.id());
        switch (r.outcome()) {
            case UNKNOWN -> throw notFound(id);
            case NOT_PENDING -> throw new ApiError(409, "not_pending", "remediation " + id + " is "
                    + r.action().state().name().toLowerCase(Locale.ROOT) + ", not pending approval");
            case EXPIRED -> throw new ApiError(410, "expired", "the approval window of " + id + " has passed");
            default -> ctx.json(json(r.action()));
        }
    }

    private static ApiError notFound(final String id) {
        return new ApiError(404, "not_found", "no remediation " + id);
    }

    static Map<String, Object> json(final RemediationAction a) {
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", a.actionId());
        doc.put("incident_id", a.incidentId());
        doc.put("analysis_id", a.analysisId());
        doc.put("incident_version", a.incidentVersion());
        doc.put("action", a.type().name().toLowerCase(Locale.ROOT));
        doc.put("service", a.service());
        doc.put("kubernetes", a.target() == null ? null : Map.of("namespace", a.target().getNamespace(),
                "deployment", a.target().getDeployment()));
        doc.put("parameters", a.parameters());
        doc.put("mode", a.mode());
        doc.put("rule", a.rule());
        doc.put("state", a.state().name().toLowerCase(Locale.ROOT));
        doc.put("reason", a.reason());
        doc.put("actor", a.actor());
        doc.put("plan", a.plan());
        doc.put("replay_run", a.replayRun());
        doc.put("created_at", a.createdAt().toString());
        doc.put("updated_at", a.updatedAt().toString());
        doc.put("expires_at", a.expiresAt() == null ? null : a.expiresAt().toString());
        return doc;
    }
}
