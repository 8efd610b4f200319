#!/usr/bin/env bash
# Brings up everything on this machine: a local PostgreSQL under .data/ (installed with apt if missing),
# the migrations, the demo organisation, an SMTP sink that shows the portal's mail in a browser
# (maildev, from npm, under .data/maildev), and the portal on http://localhost:5080.
# Ctrl-C stops the portal, the mail sink and the database this script started.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet on PATH)." >&2; exit 1; }
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
pg_ensure_installed

DB_PORT=${PORTAL_DB_PORT:-5433}
APP_URL=${PORTAL_URL:-http://localhost:5080}
SMTP_PORT=${PORTAL_SMTP_PORT:-2525}
MAIL_WEB_PORT=${PORTAL_MAIL_WEB_PORT:-1080}
data=$(pg_usable_dir "$PWD/.data/pg")
mkdir -p .data

started_db=""
app_pid=""
mail_pid=""
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
  if [ -n "$mail_pid" ] && kill -0 "$mail_pid" 2>/dev/null; then
    echo "Stopping the mail sink ..."
    kill -TERM "$mail_pid" 2>/dev/null || true
    wait "$mail_pid" 2>/dev/null || true
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

# The portal's mail goes to maildev, which keeps it in memory and shows it at http://localhost:1080.
if [ ! -x .data/maildev/node_modules/.bin/maildev ]; then
  echo "Installing the mail sink (maildev) ..."
  npm install --prefix .data/maildev --no-audit --no-fund --loglevel=error maildev@2.2.1 >/dev/null
fi
.data/maildev/node_modules/.bin/maildev --smtp "$SMTP_PORT" --web "$MAIL_WEB_PORT" --ip 127.0.0.1 >.data/maildev/maildev.log 2>&1 &
mail_pid=$!
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then break; fi
  if ! kill -0 "$mail_pid" 2>/dev/null; then
    echo "The mail sink did not start (is port $SMTP_PORT or $MAIL_WEB_PORT taken?):" >&2
    cat .data/maildev/maildev.log >&2
    exit 1
  fi
  sleep 0.2
done

echo "Building the portal ..."
dotnet publish src/Portal.Web -c Release -o .data/app -nologo -clp:ErrorsOnly >/dev/null

export ConnectionStrings__Portal="Host=127.0.0.1;Port=$DB_PORT;Database=portal;Username=postgres"
export Portal__BaseUrl="$APP_URL"
export Portal__StoragePath="$PWD/.data/storage"
export Portal__Smtp__Host=127.0.0.1
export Portal__Smtp__Port="$SMTP_PORT"
export Portal__Smtp__Security=None
export Logging__Console__FormatterName=simple

cd .data/app  # the published appsettings.json is read from the working directory
dotnet Portal.Web.dll migrate
dotnet Portal.Web.dll seed

cat <<TEXT

  Advisory Portal: $APP_URL
  Mail sent by the portal: http://localhost:$MAIL_WEB_PORT

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

  Press Ctrl-C to stop the portal, the mail sink and the database.

TEXT
# In the background so that Ctrl-C or a TERM reaches the trap at once, which stops the portal, then the database.
dotnet Portal.Web.dll --urls "$APP_URL" &
app_pid=$!
wait "$app_pid"
