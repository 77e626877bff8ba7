-- Why an episode failed: 'infrastructure:<kind>' (the endpoint or the environment; the same command retries
-- these) or 'agent:<kind>' (a result). NULL when the episode succeeded, is not finished, or was cancelled.
ALTER TABLE episode ADD COLUMN failure_class VARCHAR(60);
CREATE INDEX episode_run_failure_class ON episode (run_id, failure_class);
