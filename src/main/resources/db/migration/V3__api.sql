-- The HTTP API (serve profile): tasks are episodes with source 'api'; workers pick the oldest pending ones and
-- the heartbeat check scans running ones. Portable between PostgreSQL and H2 (PostgreSQL mode).
CREATE INDEX episode_source_status ON episode (source, status, id);
CREATE INDEX conversation_model ON conversation (model);
