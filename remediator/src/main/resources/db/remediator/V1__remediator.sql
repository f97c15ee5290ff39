-- The remediator's state: actions with their idempotency key, an append-only audit log, incidents as seen,
-- notification deliveries, and an outbox of records for Kafka written in the same transactions as the state.

CREATE TABLE remediator_consumer_offsets (
    consumer_group TEXT    NOT NULL,
    topic          TEXT    NOT NULL,
    partition_no   INTEGER NOT NULL,
    next_offset    BIGINT  NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition_no)
);

CREATE TABLE remediator_incidents (
    incident_id  TEXT PRIMARY KEY,
    version      INTEGER     NOT NULL,
    state        TEXT        NOT NULL,
    severity     TEXT        NOT NULL,
    title        TEXT        NOT NULL,
    services     TEXT[]      NOT NULL,
    replay_run   TEXT,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per action; action_id = hash(incident, analysis version, action) makes planning idempotent and
-- execution at most once (a row leaves APPROVED for EXECUTING exactly once).
CREATE TABLE remediation_actions (
    action_id        TEXT PRIMARY KEY,
    incident_id      TEXT        NOT NULL,
    analysis_id      TEXT,
    incident_version INTEGER     NOT NULL,
    action_type      TEXT        NOT NULL,
    service          TEXT        NOT NULL,
    namespace        TEXT,
    deployment       TEXT,
    kube_context     TEXT,
    parameters       JSONB       NOT NULL DEFAULT '{}',
    bounds           JSONB       NOT NULL DEFAULT '{}',
    mode             TEXT        NOT NULL,
    policy_rule      TEXT,
    state            TEXT        NOT NULL,
    reason           TEXT        NOT NULL,
    actor            TEXT,
    plan             JSONB,
    executor         TEXT,
    replay_run       TEXT,
    trace_parent     TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ
);
CREATE INDEX remediation_actions_state ON remediation_actions (state, created_at);
CREATE INDEX remediation_actions_service ON remediation_actions (service, started_at);
CREATE INDEX remediation_actions_incident ON remediation_actions (incident_id);

-- Every state an action reached, with the reason; rows are only ever inserted.
CREATE TABLE remediation_action_log (
    event_id     TEXT PRIMARY KEY,
    action_id    TEXT        NOT NULL REFERENCES remediation_actions (action_id),
    state        TEXT        NOT NULL,
    reason       TEXT        NOT NULL,
    actor        TEXT,
    occurred_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX remediation_action_log_action ON remediation_action_log (action_id, occurred_at);

CREATE TABLE notification_deliveries (
    delivery_id      TEXT PRIMARY KEY,
    notification_key TEXT        NOT NULL,
    channel          TEXT        NOT NULL,
    incident_id      TEXT,
    kind             TEXT        NOT NULL,
    severity         TEXT        NOT NULL,
    title            TEXT        NOT NULL,
    body             TEXT        NOT NULL,
    state            TEXT        NOT NULL,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    lease_until      TIMESTAMPTZ,
    detail           TEXT,
    replay_run       TEXT,
    trace_parent     TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at      TIMESTAMPTZ
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (channel, state, next_attempt_at);

-- Records for Kafka, written in the transaction that changed the state they describe; a publisher sends them
-- (acks=all) and deletes them. A crash in between sends one again with the same id, which readers deduplicate.
CREATE TABLE remediator_outbox (
    seq         BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    record_key  TEXT        NOT NULL,
    event_id    TEXT        NOT NULL UNIQUE,
    payload     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
