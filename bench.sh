#!/usr/bin/env bash
# ./bench.sh fanout [--staff N] [--units N] [--dependents N] [--acks N] [--connections N] [--repeat N]
# ./bench.sh chase [--staff N] [--units N] [--dependents N]
# ./bench.sh upload [--megabytes N]
# ./bench.sh pages [--staff N] [--units N] [--dependents N] [--signed-in N] [--connections N] [--seconds N]
# ./bench.sh storm [--staff N] [--units N] [--dependents N] [--staff-acks N] [--family-acks N] [--connections N]
# ./bench.sh scan [--devices N] [--prefixes N] [--repeat N] [--connections N] [--seconds N]
# ./bench.sh import [--rows N] [--repeat N]
# Starts a throwaway PostgreSQL (normal durability settings), builds the app and the harness, runs the
# benchmark described in bench/README.md, and removes everything it started. The last line is "ratio: X".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

case "${1:-}" in
  fanout|pages|storm|chase|upload|scan|import) ;;
  *)
    echo "usage: ./bench.sh fanout|pages|storm|chase|upload|scan|import [--staff N] [--units N] [--dependents N] [options: see bench/README.md]" >&2
    exit 2
    ;;
esac
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet on PATH)." >&2; exit 1; }
[ -n "$(pg_bin)" ] || apt_install postgresql
pg_ensure_installed
# wrk drives the pages and, in scan, the check API.
if [ "$1" = pages ] || [ "$1" = scan ]; then command -v wrk >/dev/null || apt_install wrk; fi

work=$(mktemp -d /tmp/portal-bench.XXXXXX)
chmod 755 "$work"
data="$work/pg"
cleanup() {
  pg_stop "$data"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Building ..." >&2
dotnet build bench/Portal.Bench -c Release -nologo -clp:ErrorsOnly >&2
dotnet publish src/Portal.Web -c Release --no-build -o "$work/app" -nologo >/dev/null

port=$(pg_free_port)
pg_start "$data" "$port" >&2
export BENCH_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
# BENCH_APP_DLL: measure another publish of the app (say, one built with -p:PublishReadyToRun=true) on the same harness.
export BENCH_APP_DLL="${BENCH_APP_DLL:-$work/app/Portal.Web.dll}"
# The upload benchmark makes its file, its copy and the portal's store here, on the same disk; removed with $work.
export BENCH_WORK="$work"
# The app runs as Production, which encrypts its key ring with a certificate (docs/decisions/0081): a throwaway one.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Benchmark key ring" -keyout "$work/key.pem" -out "$work/certificate.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/certificate.pem" -out "$work/keyring.pfx" -passout pass:benchmark
export Portal__DataProtection__CertificatePath="$work/keyring.pfx" Portal__DataProtection__CertificatePassword=benchmark
dotnet bench/Portal.Bench/bin/Release/net10.0/Portal.Bench.dll "$@"
