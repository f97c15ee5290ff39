package aiops.ledger;

import aiops.avro.LlmUsage;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * One batch of usage records into the ledger, in the caller's transaction: a single statement prices every row at the
 * price in force when the call happened, inserts it unless its usage id is already there, and adds only the inserted
 * rows to the daily and per-incident rollups; then the consumer offsets of the batch are stored beside them.
 */
final class LedgerBatch {

    /** What the statement did. */
    record Result(int inserted, int priceMissing) {
    }

    static final String INSERT = """
            WITH batch AS (
              SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                   ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[],
                                   ?::boolean[], ?::boolean[], ?::text[])
                AS b(usage_id, occurred_at, incident_id, analysis_id, service, team, provider, model, purpose,
                     input_tokens, output_tokens, cached_input_tokens, latency_ms, outcome, cached, estimated, replay_run)
            ), priced AS (
              SELECT b.*, p.price_id,
                     CASE WHEN b.input_tokens + b.output_tokens + b.cached_input_tokens = 0 THEN 0
                          WHEN p.price_id IS NULL THEN NULL
                          ELSE (b.input_tokens * p.input_per_million_usd + b.output_tokens * p.output_per_million_usd
                                + b.cached_input_tokens * coalesce(p.cached_input_per_million_usd, p.input_per_million_usd))
                               / 1000000
                     END AS cost_usd
              FROM batch b LEFT JOIN LATERAL (
                SELECT m.price_id, m.input_per_million_usd, m.output_per_million_usd, m.cached_input_per_million_usd
                FROM model_prices m
                WHERE m.provider = b.provider AND m.model = b.model AND m.effective_from <= b.occurred_at
                ORDER BY m.effective_from DESC LIMIT 1) p ON true
            ), ins AS (
              INSERT INTO llm_usage_ledger (usage_id, occurred_at, incident_id, analysis_id, service, team, provider,
                  model, purpose, input_tokens, output_tokens, cached_input_tokens, cost_usd, price_id, price_missing,
                  latency_ms, outcome, cached, estimated, replay_run)
              SELECT usage_id, occurred_at, incident_id, analysis_id, service, team, provider, model, purpose,
                     input_tokens, output_tokens, cached_input_tokens, cost_usd, price_id, cost_usd IS NULL,
                     latency_ms, outcome, cached, estimated, replay_run
              FROM priced
              ON CONFLICT (usage_id) DO NOTHING
              RETURNING *
            ), daily AS (
              INSERT INTO ledger_daily_rollup AS r (day, provider, model, service, team, is_replay, calls, cached_calls,
                  input_tokens, output_tokens, cached_input_tokens, cost_usd, price_missing_calls)
              SELECT (occurred_at AT TIME ZONE 'UTC')::date, provider, model, coalesce(service, ''), coalesce(team, ''),
                     replay_run IS NOT NULL, count(*), count(*) FILTER (WHERE cached), sum(input_tokens),
                     sum(output_tokens), sum(cached_input_tokens), coalesce(sum(cost_usd), 0),
                     count(*) FILTER (WHERE price_missing)
              FROM ins GROUP BY 1, 2, 3, 4, 5, 6
              ON CONFLICT (day, provider, model, service, team, is_replay) DO UPDATE SET
                  calls = r.calls + excluded.calls, cached_calls = r.cached_calls + excluded.cached_calls,
                  input_tokens = r.input_tokens + excluded.input_tokens,
                  output_tokens = r.output_tokens + excluded.output_tokens,
                  cached_input_tokens = r.cached_input_tokens + excluded.cached_input_tokens,
                  cost_usd = r.cost_usd + excluded.cost_usd,
                  price_missing_calls = r.price_missing_calls + excluded.price_missing_calls
            ), per_incident AS (
              INSERT INTO ledger_incident_rollup AS r (incident_id, is_replay, calls, input_tokens, output_tokens,
                  cost_usd, first_call_at, last_call_at)
              SELECT incident_id, replay_run IS NOT NULL, count(*), sum(input_tokens), sum(output_tokens),
                     coalesce(sum(cost_usd), 0), min(occurred_at), max(occurred_at)
              FROM ins WHERE incident_id IS NOT NULL GROUP BY 1, 2
              ON CONFLICT (incident_id, is_replay) DO UPDATE SET
                  calls = r.calls + excluded.calls, input_tokens = r.input_tokens + excluded.input_tokens,
                  output_tokens = r.output_tokens + excluded.output_tokens, cost_usd = r.cost_usd + excluded.cost_usd,
                  first_call_at = least(r.first_call_at, excluded.first_call_at),
                  last_call_at = greatest(r.last_call_at, excluded.last_call_at)
            )
            SELECT count(*), count(*) FILTER (WHERE price_missing) FROM ins
            """;

    private LedgerBatch() {
    }

    static Result insert(final Connection c, final List<LlmUsage> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new Result(0, 0);
        }
        final int n = rows.size();
        final Object[][] cols = new Object[17][n];
        for (int i = 0; i < n; i++) {
            final LlmUsage u = rows.get(i);
            cols[0][i] = u.getUsageId();
            cols[1][i] = Timestamp.from(u.getOccurredAt());
            cols[2][i] = u.getIncidentId();
            cols[3][i] = u.getAnalysisId();
            cols[4][i] = u.getService();
            cols[5][i] = u.getTeam();
            cols[6][i] = u.getProvider();
            cols[7][i] = u.getModel();
            cols[8][i] = u.getPurpose();
            cols[9][i] = u.getInputTokens();
            cols[10][i] = u.getOutputTokens();
            cols[11][i] = u.getCachedInputTokens();
            cols[12][i] = u.getLatencyMs();
            cols[13][i] = u.getOutcome();
            cols[14][i] = u.getCached();
            cols[15][i] = u.getEstimated();
            cols[16][i] = u.getReplayRunId();
        }
        final String[] types = {"text", "timestamptz", "text", "text", "text", "text", "text", "text", "text", "int8",
            "int8", "int8", "int8", "text", "bool", "bool", "text"};
        try (PreparedStatement st = c.prepareStatement(INSERT)) {
            for (int col = 0; col < types.length; col++) {
                final Array array = c.createArrayOf(types[col], cols[col]);
                st.setArray(col + 1, array);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Result(rs.getInt(1), rs.getInt(2));
            }
        }
    }
}
