-- The test suite's database (./run-tests also creates it when missing). `rollouts`, the application's own,
-- comes from POSTGRES_DB.
CREATE DATABASE rollout_test;
