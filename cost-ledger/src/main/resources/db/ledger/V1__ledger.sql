-- LLM cost ledger: append-only. Rows are never updated or deleted; corrections are new rows.

CREATE TABLE model_prices (
    price_id                  BIGSERIAL PRIMARY KEY,
    provider                  TEXT        NOT NULL,
    model                     TEXT        NOT NULL,
    input_per_million_usd     NUMERIC(20, 10) NOT NULL CHECK (input_per_million_usd >= 0),
    output_per_million_usd    NUMERIC(20, 10) NOT NULL CHECK (output_per_million_usd >= 0),
    cached_input_per_million_usd NUMERIC(20, 10) CHECK (cached_input_per_million_usd >= 0),
    effective_from            TIMESTAMPTZ NOT NULL,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (provider, model, effective_from)
);

CREATE TABLE llm_usage_ledger (
    usage_id            TEXT PRIMARY KEY,
    occurred_at         TIMESTAMPTZ NOT NULL,
    incident_id         TEXT,
    analysis_id         TEXT,
    service             TEXT,
    team                TEXT,
    provider            TEXT        NOT NULL,
    model               TEXT        NOT NULL,
    purpose             TEXT        NOT NULL,
    input_tokens        BIGINT      NOT NULL CHECK (input_tokens >= 0),
    output_tokens       BIGINT      NOT NULL CHECK (output_tokens >= 0),
    cached_input_tokens BIGINT      NOT NULL DEFAULT 0 CHECK (cached_input_tokens >= 0),
    cost_usd            NUMERIC(20, 10),
    price_id            BIGINT REFERENCES model_prices (price_id),
    price_missing       BOOLEAN     NOT NULL DEFAULT false,
    latency_ms          BIGINT      NOT NULL DEFAULT 0,
    outcome             TEXT        NOT NULL,
    cached              BOOLEAN     NOT NULL DEFAULT false,
    estimated           BOOLEAN     NOT NULL DEFAULT false,
    replay_run          TEXT,
    corrects_usage_id   TEXT REFERENCES llm_usage_ledger (usage_id),
    recorded_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX llm_usage_ledger_occurred_at ON llm_usage_ledger (occurred_at);
CREATE INDEX llm_usage_ledger_incident ON llm_usage_ledger (incident_id) WHERE incident_id IS NOT NULL;

-- Consumer offsets committed in the same transaction as the rows they produced.
CREATE TABLE ledger_consumer_offsets (
    consumer_group TEXT    NOT NULL,
    topic          TEXT    NOT NULL,
    partition_no   INTEGER NOT NULL,
    next_offset    BIGINT  NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition_no)
);
