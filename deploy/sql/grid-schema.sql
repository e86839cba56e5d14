-- Source-of-truth tables of the grid dimension and topology (contract §1.1, §1.2), read by the
-- ODS job through PostgreSQL CDC (--devices-source postgres). Idempotent.
--
-- Deliberately no NOT NULL / CHECK constraints besides the primary keys: rows that break the
-- contract must be possible here so that the pipeline can see them and dead-letter them.
-- REPLICA IDENTITY FULL: updates and deletes carry the full before-image.

CREATE SCHEMA IF NOT EXISTS grid;

CREATE TABLE IF NOT EXISTS grid.devices (
    device_id        text PRIMARY KEY,
    device_name      text,
    device_type      text,
    substation_id    text,
    region           text,
    capacity_mw      double precision,
    rated_voltage_kv double precision,
    status           text,
    updated_at       timestamptz
);

CREATE TABLE IF NOT EXISTS grid.substations (
    substation_id    text PRIMARY KEY,
    substation_name  text,
    region           text,
    voltage_level_kv double precision,
    capacity_mw      double precision
);

CREATE TABLE IF NOT EXISTS grid.lines (
    line_id            text PRIMARY KEY,
    from_substation_id text,
    to_substation_id   text,
    capacity_mw        double precision,
    status             text
);

ALTER TABLE grid.devices REPLICA IDENTITY FULL;
ALTER TABLE grid.substations REPLICA IDENTITY FULL;
ALTER TABLE grid.lines REPLICA IDENTITY FULL;
