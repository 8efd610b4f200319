#!/usr/bin/env bash
# Brings up everything on this machine: a local PostgreSQL under .data/ (installed with apt if missing),
# the migrations, the demo organisation, an SMTP sink that shows the portal's mail in a browser
# (maildev, from npm, under .data/maildev), and the portal on http://localhost:5080.
# Ctrl-C stops the portal, the mail and SMS sinks and the database this script started.
#   ./run.sh                  one portal on http://localhost:5080
#   ./run.sh --instances 2    two portals (ports 5081, 5082) behind nginx on 5080, sharing the database,
#                             the key ring and the evidence folder; metrics on 9464, 9465
#   ./run.sh backup           the database and the evidence folder into .data/backups/portal-<time>.tar
#   ./run.sh restore FILE     replaces them with a backup (verified first; the previous database is kept)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

mode=serve
instances=1
while [ $# -gt 0 ]; do
  case "$1" in
    --instances)
      [[ "${2:-}" =~ ^[1-9]$ ]] || { echo "--instances takes a number from 1 to 9." >&2; exit 2; }
      instances=$2; shift 2 ;;
    backup) mode=backup; shift ;;
    restore)
      [ -n "${2:-}" ] || { echo "Usage: ./run.sh restore FILE" >&2; exit 2; }
      mode=restore; restore_file=$(realpath "$2"); shift 2 ;;
    *) echo "Usage: ./run.sh [--instances N] | backup | restore FILE" >&2; exit 2 ;;
  esac
done

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet on PATH)." >&2; exit 1; }
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v openssl >/dev/null || missing+=(openssl)
command -v python3 >/dev/null || missing+=(python3)
[ "$instances" -eq 1 ] || command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
pg_ensure_installed

DB_PORT=${PORTAL_DB_PORT:-5433}
APP_URL=${PORTAL_URL:-http://localhost:5080}
SMTP_PORT=${PORTAL_SMTP_PORT:-2525}
MAIL_WEB_PORT=${PORTAL_MAIL_WEB_PORT:-1080}
SMS_PORT=${PORTAL_SMS_PORT:-1081}
METRICS_PORT=${PORTAL_METRICS_PORT:-9464}
data=$(pg_usable_dir "$PWD/.data/pg")
mkdir -p .data

started_db=""
app_pids=()
balancer_pid=""
mail_pid=""
sms_pid=""
if [ -s "$data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  echo "PostgreSQL is already running from $data"
else
  pg_start "$data" "$DB_PORT"
  started_db=1
  echo "PostgreSQL started on 127.0.0.1:$DB_PORT (data in $data)"
fi
stop_all() {
  if [ -n "$balancer_pid" ] && kill -0 "$balancer_pid" 2>/dev/null; then
    echo "Stopping nginx ..."
    kill -TERM "$balancer_pid" 2>/dev/null || true
    wait "$balancer_pid" 2>/dev/null || true
  fi
  for pid in "${app_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "Stopping the portal ($pid) ..."
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${app_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$mail_pid" ] && kill -0 "$mail_pid" 2>/dev/null; then
    echo "Stopping the mail sink ..."
    kill -TERM "$mail_pid" 2>/dev/null || true
    wait "$mail_pid" 2>/dev/null || true
  fi
  if [ -n "$sms_pid" ] && kill -0 "$sms_pid" 2>/dev/null; then
    echo "Stopping the SMS sink ..."
    kill -TERM "$sms_pid" 2>/dev/null || true
    wait "$sms_pid" 2>/dev/null || true
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

if [ "$mode" != serve ]; then
  export PGHOST=127.0.0.1 PGPORT="$DB_PORT" PGUSER=postgres PGDATABASE=portal PORTAL_STORAGE="$PWD/.data/storage"
  if [ "$mode" = backup ]; then
    scripts/backup.sh backup "$PWD/.data/backups"
  else
    app_port=${APP_URL##*:}; app_port=${app_port%%/*}
    if (exec 3<>"/dev/tcp/127.0.0.1/$app_port") 2>/dev/null; then
      echo "Something answers on port $app_port: stop the portal (Ctrl-C in its ./run.sh) before restoring." >&2
      exit 1
    fi
    scripts/backup.sh restore "$restore_file"
  fi
  exit 0
fi

# The key ring is encrypted with this certificate (docs/decisions/0081-key-ring-at-rest.md); made once, kept in .data/keyring.
if [ ! -s .data/keyring/keyring.pfx ]; then
  echo "Generating the key-ring certificate into .data/keyring ..."
  mkdir -p .data/keyring
  chmod 700 .data/keyring
  openssl rand -hex 24 >.data/keyring/password
  openssl req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes -subj "/CN=Advisory Portal key ring" \
    -keyout .data/keyring/key.pem -out .data/keyring/certificate.pem 2>/dev/null
  openssl pkcs12 -export -inkey .data/keyring/key.pem -in .data/keyring/certificate.pem \
    -out .data/keyring/keyring.pfx -passout file:.data/keyring/password
  rm -f .data/keyring/key.pem
  chmod 600 .data/keyring/*
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

# Text messages go to a local SMS gateway of our own (scripts/sms-sink.py), shown at http://localhost:1081.
python3 scripts/sms-sink.py "$SMS_PORT" &
sms_pid=$!
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$SMS_PORT") 2>/dev/null; then break; fi
  if ! kill -0 "$sms_pid" 2>/dev/null; then
    echo "The SMS sink did not start (is port $SMS_PORT taken?)." >&2
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
export Portal__Sms__GatewayUrl="http://127.0.0.1:$SMS_PORT/sms"
export Logging__Console__FormatterName=simple
export Portal__DataProtection__CertificatePath="$PWD/.data/keyring/keyring.pfx"
Portal__DataProtection__CertificatePassword=$(cat .data/keyring/password)
export Portal__DataProtection__CertificatePassword

cd .data/app  # the published appsettings.json is read from the working directory
dotnet Portal.Web.dll migrate
dotnet Portal.Web.dll seed

cat <<TEXT

  Advisory Portal: $APP_URL$([ "$instances" -gt 1 ] && echo " (nginx in front of $instances instances)")
  Prometheus metrics: http://localhost:$METRICS_PORT/metrics$([ "$instances" -gt 1 ] && echo " ... :$((METRICS_PORT - 1 + instances))")
  Mail sent by the portal: http://localhost:$MAIL_WEB_PORT
  Text messages sent by the portal: http://localhost:$SMS_PORT

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

  Press Ctrl-C to stop the portal, the mail and SMS sinks and the database.

TEXT
# In the background so that Ctrl-C or a TERM reaches the trap at once, which stops the portal, then the database.
if [ "$instances" -eq 1 ]; then
  Portal__Telemetry__MetricsPort=$METRICS_PORT dotnet Portal.Web.dll --urls "$APP_URL" &
  app_pids+=($!)
else
  app_port=${APP_URL##*:}; app_port=${app_port%%/*}
  ports=()
  for i in $(seq 1 "$instances"); do
    ports+=($((app_port + i)))
    # nginx on this machine is the one proxy whose X-Forwarded-For/-Proto the instances believe (per-address limits see the real client).
    Portal__Proxy__KnownProxies__0=127.0.0.1 Portal__Telemetry__MetricsPort=$((METRICS_PORT - 1 + i)) dotnet Portal.Web.dll --urls "http://localhost:$((app_port + i))" &
    app_pids+=($!)
  done
  ../../scripts/balancer.sh ../nginx "$app_port" "${ports[@]}" &
  balancer_pid=$!
fi
# Whichever stops first (the portal, an instance, nginx) stops the rest through the trap.
wait -n
