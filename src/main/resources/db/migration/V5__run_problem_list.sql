-- A night is identified by its problem list's content, not the path it was given by: the list itself and the
-- SHA-256 of its canonical form are kept on the run.
ALTER TABLE run ADD COLUMN problems_sha256 VARCHAR(64);
ALTER TABLE run ADD COLUMN problems_content TEXT;
-- Room for the longer run statuses ('infrastructure_failed').
ALTER TABLE run ALTER COLUMN status SET DATA TYPE VARCHAR(40);
