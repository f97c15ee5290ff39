package aiops.analyzer.budget;

import aiops.avro.BudgetState;
import aiops.avro.BudgetStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the ledger's budget states ({@code aiops.budget}) and decides what an analysis may spend: past a hard limit
 * of the global, team or service scope nothing (the offline analyst answers); past a soft limit the cheaper models;
 * a model past its own hard limit is skipped.
 */
public final class BudgetGuard {

    /** What the budgets allow for one incident. */
    public enum Allowance { FULL, CHEAP, NONE }

    /** The decision and the scope that caused it. */
    public record Decision(Allowance allowance, String scope) {
    }

    private final Supplier<Map<String, BudgetState>> states;

    public BudgetGuard(final Supplier<Map<String, BudgetState>> states) {
        this.states = states;
    }

    public static BudgetGuard unlimited() {
        return new BudgetGuard(Map::of);
    }

    public Decision decide(final Collection<String> services, final Collection<String> teams) {
        final Map<String, BudgetState> all = states.get();
        final List<String> scopes = new ArrayList<>();
        scopes.add("global");
        teams.forEach(t -> scopes.add("team:" + t));
        services.forEach(s -> scopes.add("service:" + s));
        Decision decision = new Decision(Allowance.FULL, null);
        for (final String scope : scopes) {
            final BudgetState state = all.get(scope);
            if (state == null) {
                continue;
            }
            if (state.getState() == BudgetStatus.HARD_EXCEEDED) {
                return new Decision(Allowance.NONE, scope);
            }
            if (state.getState() == BudgetStatus.SOFT_EXCEEDED && decision.allowance() == Allowance.FULL) {
                decision = new Decision(Allowance.CHEAP, scope);
            }
        }
        return decision;
    }

    public boolean modelAllowed(final String model) {
        final BudgetState state = states.get().get("model:" + model);
        return state == null || state.getState() != BudgetStatus.HARD_EXCEEDED;
    }
}
