-- What the MCP tools and the assistant read: incidents (every version seen), their newest analysis with its
-- embedding, and the state of every remediation action, indexed from the topics with offsets in the same
-- transaction; and the audit of every tool call.
CREATE TABLE assistant_consumer_offsets (
    consumer_group TEXT NOT NULL,
    topic TEXT NOT NULL,
    partition_no INTEGER NOT NULL,
    next_offset BIGINT NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition_no)
);

CREATE TABLE assistant_incidents (
    incident_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    severity TEXT NOT NULL,
    title TEXT NOT NULL,
    services TEXT[] NOT NULL,
    opened_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    replay_run TEXT,
    doc JSONB NOT NULL
);
CREATE INDEX assistant_incidents_updated ON assistant_incidents (updated_at DESC, incident_id);

CREATE TABLE assistant_incident_versions (
    incident_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    severity TEXT NOT NULL,
    change_reason TEXT NOT NULL,
    services TEXT[] NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (incident_id, version)
);

CREATE TABLE assistant_analyses (
    incident_id TEXT PRIMARY KEY,
    incident_version INTEGER NOT NULL,
    analysis_id TEXT NOT NULL,
    analyst TEXT NOT NULL,
    summary TEXT NOT NULL,
    root_service TEXT,
    fault TEXT,
    embedding REAL[],
    replay_run TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    doc JSONB NOT NULL
);

CREATE TABLE assistant_remediations (
    action_id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    analysis_id TEXT,
    state TEXT NOT NULL,
    action_type TEXT NOT NULL,
    service TEXT NOT NULL,
    mode TEXT NOT NULL,
    policy_rule TEXT,
    reason TEXT NOT NULL,
    parameters JSONB NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    replay_run TEXT
);
CREATE INDEX assistant_remediations_incident ON assistant_remediations (incident_id);
CREATE INDEX assistant_remediations_analysis ON assistant_remediations (analysis_id);
CREATE INDEX assistant_remediations_time ON assistant_remediations (occurred_at DESC, action_id);

CREATE TABLE assistant_audit (
    audit_id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    principal_id TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    role TEXT NOT NULL,
    door TEXT NOT NULL,
    tool TEXT NOT NULL,
    arguments JSONB NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX assistant_audit_at ON assistant_audit (at DESC);
