package aiops.ledger;

/** The repricing statement: corrections appended as rows, rollups moved by the same amounts. */
final class Reprice {

    static final String SQL = """
            WITH current AS (
              SELECT l.usage_id, l.occurred_at, l.incident_id, l.service, l.team, l.provider, l.model, l.replay_run,
                     coalesce(l.cost_usd, 0) + coalesce((SELECT sum(k.cost_usd) FROM llm_usage_ledger k
                                                         WHERE k.corrects_usage_id = l.usage_id), 0) AS booked,
                     p.price_id,
                     (l.input_tokens * p.input_per_million_usd + l.output_tokens * p.output_per_million_usd
                      + l.cached_input_tokens * coalesce(p.cached_input_per_million_usd, p.input_per_million_usd))
                       / 1000000 AS due
              FROM llm_usage_ledger l JOIN LATERAL (
                SELECT m.* FROM model_prices m WHERE m.provider = l.provider AND m.model = l.model
                  AND m.effective_from <= l.occurred_at ORDER BY m.effective_from DESC LIMIT 1) p ON true
              WHERE l.occurred_at >= ? AND l.corrects_usage_id IS NULL AND NOT l.cached
            ), ins AS (
              INSERT INTO llm_usage_ledger (usage_id, occurred_at, incident_id, service, team, provider, model, purpose,
                  input_tokens, output_tokens, cached_input_tokens, cost_usd, price_id, price_missing, outcome,
                  replay_run, corrects_usage_id)
              SELECT usage_id || ':reprice:' || price_id || ':' || extract(epoch FROM now())::bigint, occurred_at,
                     incident_id, service, team, provider, model, 'correction', 0, 0, 0,
                     due - booked, price_id, false, 'ok', replay_run, usage_id
              FROM current WHERE booked <> due
              RETURNING *
            ), daily AS (
              INSERT INTO ledger_daily_rollup AS r (day, provider, model, service, team, is_replay, calls, cached_calls,
                  input_tokens, output_tokens, cached_input_tokens, cost_usd, price_missing_calls)
              SELECT (occurred_at AT TIME ZONE 'UTC')::date, provider, model, coalesce(service, ''),
                     coalesce(team, ''), replay_run IS NOT NULL, 0, 0, 0, 0, 0, sum(cost_usd), 0
              FROM ins GROUP BY 1, 2, 3, 4, 5, 6
              ON CONFLICT (day, provider, model, service, team, is_replay) DO UPDATE SET cost_usd = r.cost_usd + excluded.cost_usd
            ), per_incident AS (
              UPDATE ledger_incident_rollup r SET cost_usd = r.cost_usd + d.delta
              FROM (SELECT incident_id, replay_run IS NOT NULL AS is_replay, sum(cost_usd) AS delta FROM ins
                    WHERE incident_id IS NOT NULL GROUP BY 1, 2) d
              WHERE r.incident_id = d.incident_id AND r.is_replay = d.is_replay
            )
            SELECT count(*) FROM ins
            """;

    private Reprice() {
    }
}
