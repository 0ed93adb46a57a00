#!/usr/bin/env bash
# One-command setup for statebench on Debian/Ubuntu: installs the servers the harness starts privately
# (PostgreSQL, Redis, HAProxy), Chromium for the report's browser test, docker-compose for validating
# compose.yaml, then the npm dependencies. Idempotent: a second run with everything present takes ~1 s.
# Elsewhere it prints exactly what to install and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
say() { [ "$quiet" = 1 ] || echo "setup: $*"; }

# command-or-file -> Debian package. PostgreSQL's server binaries live outside PATH on Debian.
need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || command -v postgres >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v chromium >/dev/null 2>&1 || [ -n "${STATEBENCH_SKIP_BROWSER:-}" ] || need+=(chromium)
command -v docker-compose >/dev/null 2>&1 || [ -n "${STATEBENCH_SKIP_COMPOSE:-}" ] || need+=(docker-compose)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)

if [ "${#need[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null 2>&1 || { echo "setup: run as root or install sudo, then: apt-get install ${need[*]}" >&2; exit 1; }
      sudo="sudo"
    fi
    echo "setup: installing ${need[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # Debian starts the packaged services; statebench runs private instances on free ports, so stop them.
    for svc in postgresql redis-server haproxy; do
      $sudo systemctl stop "$svc" >/dev/null 2>&1 || $sudo service "$svc" stop >/dev/null 2>&1 || true
    done
  else
    echo "setup: this is not a Debian/Ubuntu system. Install these, then rerun:" >&2
    echo "  PostgreSQL >= 14 server (with pg_stat_statements), Redis >= 6, HAProxy >= 2.4, Chromium, docker-compose" >&2
    echo "  missing here: ${need[*]}" >&2
    exit 1
  fi
fi

# `npm ci` when node_modules does not match the lockfile (cheap check on its hash). `npm ci` installs exactly
# the lockfile and never rewrites it, so a clean checkout stays clean and runs record their commit truthfully.
# The lockfile lists every platform's optional packages (esbuild, biome, @napi-rs/canvas), which `npm ci` needs.
stamp=node_modules/.statebench-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$hash" > "$stamp"
fi
say "ready"
