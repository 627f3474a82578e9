#!/usr/bin/env bash
# Makes sure what the tests need is here: a running PostgreSQL and Redis on this machine, and
# Debian's Chromium for the browser tests. Idempotent: does nothing when all is already there.
set -euo pipefail

log() { printf '[services] %s\n' "$*"; }

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || { log 'PostgreSQL is not reachable on 127.0.0.1:5432'; exit 1; }
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log 'starting Redis'
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { log 'Redis is not reachable on 127.0.0.1:6379'; exit 1; }
fi

if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's Chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
log 'PostgreSQL, Redis and Chromium are ready'
