-- The replica target last proposed per service from capacity forecasts: a new proposal only when it changes.
CREATE TABLE remediator_capacity_proposals (
    run_id      TEXT        NOT NULL DEFAULT '',
    service     TEXT        NOT NULL,
    replicas    INTEGER     NOT NULL,
    forecast_id TEXT        NOT NULL,
    origin      TIMESTAMPTZ NOT NULL,
    proposed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, service)
);
