-- Source-of-truth tables of the customer-service ticket warehouse (service contract §1), read by
-- the ODS job through PostgreSQL CDC (--pipeline service). Idempotent.
--
-- Only primary keys as constraints: rows that break the contract must be possible here so that
-- the pipeline can see them and dead-letter them.
-- REPLICA IDENTITY FULL: updates and deletes carry the full before-image.

CREATE SCHEMA IF NOT EXISTS service;

CREATE TABLE IF NOT EXISTS service.agents (
    agent_id    integer PRIMARY KEY,
    agent_name  text,
    department  text,
    skill_level integer,
    active      boolean,
    updated_at  timestamptz
);

CREATE TABLE IF NOT EXISTS service.tickets (
    ticket_id   bigint PRIMARY KEY,
    customer_id bigint,
    agent_id    integer,
    category    text,
    priority    text,
    status      text,
    created_at  timestamptz,
    updated_at  timestamptz,
    resolved_at timestamptz
);

CREATE TABLE IF NOT EXISTS service.ticket_logs (
    log_id     bigint PRIMARY KEY,
    ticket_id  bigint,
    agent_id   integer,
    action     text,
    note       text,
    created_at timestamptz
);

ALTER TABLE service.agents REPLICA IDENTITY FULL;
ALTER TABLE service.tickets REPLICA IDENTITY FULL;
ALTER TABLE service.ticket_logs REPLICA IDENTITY FULL;

CREATE SCHEMA IF NOT EXISTS ads;

-- ADS table the ticket pipeline upserts (ads_agent_ranking, service contract §4).
CREATE TABLE IF NOT EXISTS ads.agent_ranking (
    agent_id               integer PRIMARY KEY,
    agent_name             text,
    department             text,
    tickets_resolved       bigint NOT NULL,
    avg_resolution_minutes double precision,
    rank                   integer NOT NULL
);
