# Sourced by run.sh and test.sh: install (if needed), create and start a private PostgreSQL cluster.
# Usage: pg_start DATA_DIR PORT   then   pg_stop DATA_DIR
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$dir"
}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages: $*. Install them with: sudo apt-get install -y $*" >&2
    return 1
  fi
  echo "Installing $* with apt ..." >&2
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

pg_ensure_installed() {
  if [ -z "$(pg_bin)" ]; then
    apt_install postgresql
  fi
  PG_BIN=$(pg_bin)
  export PG_BIN
}

# Runs a command as the cluster's owner: initdb and postgres refuse to run as root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A data directory every parent of which the postgres user can traverse; falls back under /tmp.
pg_usable_dir() {
  local wanted=$1
  if [ "$(id -u)" -ne 0 ]; then echo "$wanted"; return; fi
  mkdir -p "$(dirname "$wanted")"
  if runuser -u postgres -- test -x "$(dirname "$wanted")" 2>/dev/null; then
    echo "$wanted"
  else
    echo "/tmp/portal-pg-$(echo "$wanted" | md5sum | cut -c1-12)"
  fi
}

pg_free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

pg_start() {
  local data=$1 port=$2
  pg_ensure_installed
  if [ ! -s "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
    chmod 700 "$data"
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PG_FSYNC:-on} -c full_page_writes=${PG_FSYNC:-on}" start >/dev/null
}

pg_stop() {
  local data=$1
  [ -n "${PG_BIN:-}" ] || PG_BIN=$(pg_bin)
  if [ -s "$data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}
