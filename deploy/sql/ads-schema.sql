-- Dashboard tables of the ADS layer (contract §6), upserted by the ADS job's PostgreSQL sink
-- (--pg-sink.enabled true), which also creates them if missing. Generated from the contract
-- tables; AdsPostgresSinkTest checks that this file matches what the job runs.
CREATE SCHEMA IF NOT EXISTS "ads";
CREATE TABLE IF NOT EXISTS "ads"."grid_realtime" (
    "region" TEXT NOT NULL,
    "window_start" TIMESTAMP(3),
    "device_count" BIGINT,
    "sample_count" BIGINT,
    "load_mw" DOUBLE PRECISION,
    "generation_mw" DOUBLE PRECISION,
    "avg_frequency_hz" DOUBLE PRECISION,
    "min_frequency_hz" DOUBLE PRECISION,
    "max_frequency_hz" DOUBLE PRECISION,
    "frequency_stability_pct" DOUBLE PRECISION,
    "max_temperature_c" DOUBLE PRECISION,
    "fault_count" BIGINT,
    "balance_mw" DOUBLE PRECISION,
    "active_alarm_count" BIGINT,
    "updated_at" TIMESTAMPTZ(3),
    PRIMARY KEY ("region")
);
CREATE SCHEMA IF NOT EXISTS "ads";
CREATE TABLE IF NOT EXISTS "ads"."alarms" (
    "alarm_id" TEXT NOT NULL,
    "device_id" TEXT,
    "substation_id" TEXT,
    "region" TEXT,
    "alarm_type" TEXT,
    "severity" TEXT,
    "status" TEXT,
    "raised_at" TIMESTAMPTZ(3),
    "cleared_at" TIMESTAMPTZ(3),
    "value" DOUBLE PRECISION,
    "threshold" DOUBLE PRECISION,
    PRIMARY KEY ("alarm_id")
);
