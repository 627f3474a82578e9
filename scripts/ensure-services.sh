#!/usr/bin/env bash
# Makes sure what the tests need is here: a running PostgreSQL and Redis on this machine,
# Debian's Chromium for the browser tests and Debian's nginx for the local cluster (its fault
# tests, `npm run cluster`). Idempotent: does nothing when all is already there.
# With arguments, only those: `ensure-services.sh postgres redis nginx` (the cluster needs no browser).
set -euo pipefail

log() { printf '[services] %s\n' "$*"; }
wanted() { [ -z "$WANTED" ] && return 0; case " $WANTED " in *" $1 "*) return 0;; *) return 1;; esac; }
WANTED="$*"
apt_updated=0
apt_install() { # package…
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

if wanted postgres && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || { log 'PostgreSQL is not reachable on 127.0.0.1:5432'; exit 1; }
fi

if wanted redis && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log 'starting Redis'
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { log 'Redis is not reachable on 127.0.0.1:6379'; exit 1; }
fi

if wanted chromium && [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's Chromium for the browser tests"
  apt_install chromium
fi

# nginx is only run by the cluster with its own configuration and pid file: the package's own
# service is never started here (no systemd in CI; policy-rc.d keeps invoke-rc.d from starting it).
if wanted nginx && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  log "installing Debian's nginx for the local cluster"
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy_added=1; fi
  nginx_ok=1
  apt_install nginx || nginx_ok=0
  if [ "$policy_added" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$nginx_ok" = 1 ] || { log 'nginx could not be installed'; exit 1; }
fi
log "ready: ${WANTED:-postgres redis chromium nginx}"
