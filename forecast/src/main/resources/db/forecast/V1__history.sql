-- Offsets of the forecaster's consumers, committed with the history they produced.
CREATE TABLE forecast_consumer_offsets (
    consumer_group TEXT    NOT NULL,
    topic          TEXT    NOT NULL,
    partition_no   INTEGER NOT NULL,
    next_offset    BIGINT  NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition_no)
);

-- One row per series: live traffic has run_id '', a replay run its id.
CREATE TABLE forecast_series (
    series_id            BIGSERIAL PRIMARY KEY,
    run_id               TEXT        NOT NULL DEFAULT '',
    service              TEXT        NOT NULL,
    metric               TEXT        NOT NULL,
    unit                 TEXT,
    newest_end           TIMESTAMPTZ NOT NULL,
    forecast_origin      TIMESTAMPTZ,
    exhaustion_firing    BOOLEAN     NOT NULL DEFAULT false,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (run_id, service, metric)
);

-- Hourly buckets: the time-weighted mean is weighted_sum / seconds.
CREATE TABLE forecast_history (
    series_id    BIGINT           NOT NULL REFERENCES forecast_series (series_id) ON DELETE CASCADE,
    hour_start   TIMESTAMPTZ      NOT NULL,
    seconds      DOUBLE PRECISION NOT NULL,
    weighted_sum DOUBLE PRECISION NOT NULL,
    min_value    DOUBLE PRECISION NOT NULL,
    max_value    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series_id, hour_start)
);

CREATE VIEW forecast_history_hourly AS
SELECT s.run_id, s.service, s.metric, s.unit, h.hour_start, h.weighted_sum / h.seconds AS mean_value,
       h.min_value, h.max_value, h.seconds AS covered_seconds
FROM forecast_history h JOIN forecast_series s USING (series_id);
