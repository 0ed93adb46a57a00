-- Runs once, when the compose PostgreSQL volume is created (docker-entrypoint-initdb.d).
-- One database per app so their schemas never meet; pg_stat_statements in each for the harness's samplers
-- (the server preloads the library: see compose.yaml).
CREATE DATABASE stateless;
CREATE DATABASE stateful;
\connect stateless
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
\connect stateful
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
