-- Rollups kept incrementally by the writer (in the same statement that inserts ledger rows), so dashboards read
-- thousands of rollup rows instead of scanning millions of ledger rows. Empty service/team are stored as ''.
CREATE TABLE ledger_daily_rollup (
    day                 DATE    NOT NULL,
    provider            TEXT    NOT NULL,
    model               TEXT    NOT NULL,
    service             TEXT    NOT NULL,
    team                TEXT    NOT NULL,
    is_replay           BOOLEAN NOT NULL,
    calls               BIGINT  NOT NULL,
    cached_calls        BIGINT  NOT NULL,
    input_tokens        BIGINT  NOT NULL,
    output_tokens       BIGINT  NOT NULL,
    cached_input_tokens BIGINT  NOT NULL,
    cost_usd            NUMERIC(24, 10) NOT NULL,
    price_missing_calls BIGINT  NOT NULL,
    PRIMARY KEY (day, provider, model, service, team, is_replay)
);

CREATE TABLE ledger_incident_rollup (
    incident_id   TEXT    NOT NULL,
    is_replay     BOOLEAN NOT NULL,
    calls         BIGINT  NOT NULL,
    input_tokens  BIGINT  NOT NULL,
    output_tokens BIGINT  NOT NULL,
    cost_usd      NUMERIC(24, 10) NOT NULL,
    first_call_at TIMESTAMPTZ NOT NULL,
    last_call_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (incident_id, is_replay)
);

CREATE INDEX llm_usage_ledger_replay ON llm_usage_ledger (replay_run) WHERE replay_run IS NOT NULL;

CREATE TABLE budgets (
    scope       TEXT NOT NULL CHECK (scope = 'global' OR scope ~ '^(team|service|model):.+$'),
    period      TEXT NOT NULL CHECK (period IN ('day', 'month')),
    limit_usd   NUMERIC(20, 10) NOT NULL CHECK (limit_usd > 0),
    soft_ratio  NUMERIC(4, 3)   NOT NULL DEFAULT 0.8 CHECK (soft_ratio > 0 AND soft_ratio <= 1),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, period)
);

-- One notice per budget, period and level (soft at the soft ratio, hard at 100 %).
CREATE TABLE budget_notices (
    scope        TEXT NOT NULL,
    period       TEXT NOT NULL,
    period_start TIMESTAMPTZ NOT NULL,
    level        TEXT NOT NULL CHECK (level IN ('soft', 'hard')),
    spent_usd    NUMERIC(24, 10) NOT NULL,
    noticed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, period, period_start, level)
);

-- Projections of the incident and remediation topics, for dashboards (MTTR, audit).
CREATE TABLE incidents (
    incident_id  TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    state        TEXT NOT NULL,
    severity     TEXT NOT NULL,
    title        TEXT NOT NULL,
    services     TEXT[] NOT NULL,
    opened_at    TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ,
    replay_run   TEXT,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE remediation_audit (
    event_id     TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL,
    state        TEXT NOT NULL,
    action_type  TEXT,
    service      TEXT,
    detail       TEXT,
    occurred_at  TIMESTAMPTZ NOT NULL,
    replay_run   TEXT
);

CREATE VIEW cost_per_day_by_model AS
    SELECT day, provider, model, sum(calls) AS calls, sum(input_tokens) AS input_tokens,
           sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd
    FROM ledger_daily_rollup WHERE NOT is_replay GROUP BY day, provider, model;

CREATE VIEW cost_per_day_by_service AS
    SELECT day, service, sum(calls) AS calls, sum(cost_usd) AS cost_usd
    FROM ledger_daily_rollup WHERE NOT is_replay GROUP BY day, service;

CREATE VIEW cost_per_day_by_team AS
    SELECT day, team, sum(calls) AS calls, sum(cost_usd) AS cost_usd
    FROM ledger_daily_rollup WHERE NOT is_replay GROUP BY day, team;

CREATE VIEW cost_by_incident AS
    SELECT r.incident_id, i.title, i.severity, r.calls, r.input_tokens, r.output_tokens, r.cost_usd,
           r.first_call_at, r.last_call_at
    FROM ledger_incident_rollup r LEFT JOIN incidents i USING (incident_id) WHERE NOT r.is_replay;

CREATE VIEW budget_burn AS
    SELECT b.scope, b.period, b.limit_usd, b.soft_ratio,
           date_trunc(b.period, now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS period_start,
           coalesce((SELECT sum(r.cost_usd) FROM ledger_daily_rollup r
                     WHERE NOT r.is_replay
                       AND r.day >= (date_trunc(b.period, now() AT TIME ZONE 'UTC'))::date
                       AND (b.scope = 'global'
                            OR b.scope = 'team:' || r.team OR b.scope = 'service:' || r.service
                            OR b.scope = 'model:' || r.model)), 0) AS spent_usd
    FROM budgets b;

CREATE VIEW incident_mttr_daily AS
    SELECT date_trunc('day', opened_at)::date AS day, count(*) AS incidents,
           count(resolved_at) AS resolved,
           avg(extract(epoch FROM resolved_at - opened_at)) FILTER (WHERE resolved_at IS NOT NULL) AS mttr_seconds
    FROM incidents WHERE replay_run IS NULL GROUP BY 1;
