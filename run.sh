#!/usr/bin/env bash
# Brings up everything on this machine: a local PostgreSQL under .data/ (installed with apt if missing),
# the migrations, the demo organisation, and the portal on http://localhost:5080.
# Ctrl-C stops the portal and the database this script started.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet on PATH)." >&2; exit 1; }
pg_ensure_installed

DB_PORT=${PORTAL_DB_PORT:-5433}
APP_URL=${PORTAL_URL:-http://localhost:5080}
data=$(pg_usable_dir "$PWD/.data/pg")
mkdir -p .data

started_db=""
app_pid=""
if [ -s "$data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  echo "PostgreSQL is already running from $data"
else
  pg_start "$data" "$DB_PORT"
  started_db=1
  echo "PostgreSQL started on 127.0.0.1:$DB_PORT (data in $data)"
fi
stop_all() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    echo "Stopping the portal ..."
    kill -TERM "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$started_db" ]; then
    echo "Stopping PostgreSQL ..."
    pg_stop "$data"
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

if ! psql -h 127.0.0.1 -p "$DB_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'portal'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$DB_PORT" -U postgres -qc "CREATE DATABASE portal"
fi

echo "Building the portal ..."
dotnet publish src/Portal.Web -c Release -o .data/app -nologo -clp:ErrorsOnly >/dev/null

export ConnectionStrings__Portal="Host=127.0.0.1;Port=$DB_PORT;Database=portal;Username=postgres"
export Portal__BaseUrl="$APP_URL"
export Portal__StoragePath="$PWD/.data/storage"
export Logging__Console__FormatterName=simple

cd .data/app  # the published appsettings.json is read from the working directory
dotnet Portal.Web.dll migrate
dotnet Portal.Web.dll seed

cat <<TEXT

  Advisory Portal: $APP_URL

  Demo logins (password for all: Portal-Demo-2026)
    admin@portal.example       Administrator      (two-factor)
    officer@portal.example     Security officer   (two-factor)
    approver@portal.example    Approver           (two-factor)
    commander@portal.example   Unit commander (1 Wing)
    staff@portal.example       Staff member (110 Squadron)
    vendor@xiaomi.example      Vendor (Xiaomi)
    auditor@portal.example     Auditor

  Two-factor accounts use the demo authenticator key
    PORTALDEMOKEYAAAABBBBCCCCDDDDEEEE
  Add it to any authenticator app, or print the current code with:
    oathtool --totp -b PORTALDEMOKEYAAAABBBBCCCCDDDDEEEE     (apt-get install oathtool)

  Press Ctrl-C to stop the portal and its database.

TEXT
# In the background so that Ctrl-C or a TERM reaches the trap at once, which stops the portal, then the database.
dotnet Portal.Web.dll --urls "$APP_URL" &
app_pid=$!
wait "$app_pid"
