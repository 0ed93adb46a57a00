#!/bin/sh
# Container entry for the app image: fills in the per-container identity the harness would set, then runs
# `node --import tsx <entry>` (stateless-app/main.ts, stateless-app/worker-main.ts, stateful-app/main.ts, ...).
# Replicas of one compose service share their environment, so NODE_ID defaults to the container's hostname
# (unique, and stable across restarts of the same container) and ADVERTISE_URL to the container's own address,
# which is how stateful nodes reach each other (they register it in PostgreSQL).
set -eu
: "${PORT:=8080}"
: "${HOST:=0.0.0.0}"
: "${NODE_ID:=$(hostname)}"
: "${ADVERTISE_URL:=http://$(hostname -i | cut -d' ' -f1):${PORT}}"
export PORT HOST NODE_ID ADVERTISE_URL
exec node --import tsx "$@"
