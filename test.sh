#!/usr/bin/env bash
# Runs every test: builds the solution, starts a throwaway PostgreSQL on a free loopback port,
# runs the integration and browser tests, and removes everything it started (also on failure or Ctrl-C).
# ./test.sh                       every test
# ./test.sh --filter EXPRESSION   only the tests dotnet test's filter selects (e.g. FullyQualifiedName~Devices)
set -euo pipefail
cd "$(dirname "$0")"
filter=()
if [ "${1:-}" = "--filter" ]; then filter=(--filter "$2"); fi
source scripts/postgres.sh

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet on PATH)." >&2; exit 1; }

missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
# The browser tests drive Chromium's headless shell: the same engine without the desktop browser's windowing and UI,
# which took half of their CPU (docs/decisions/0056-browser-tests-within-the-budget.md).
[ -x /usr/bin/chromium-headless-shell ] || missing+=(chromium-headless-shell)
# Devanagari glyphs, so Hindi pages render (and screenshot) as text rather than boxes.
dpkg -s fonts-lohit-deva >/dev/null 2>&1 || missing+=(fonts-lohit-deva)
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || missing+=(python3-aiosmtpd)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
# ScaleOutTests put two instances behind nginx (scripts/balancer.sh).
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
pg_ensure_installed

work=$(mktemp -d /tmp/portal-test.XXXXXX)
chmod 755 "$work"
data="$work/pg"
cleanup() {
  pg_stop "$data"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Building ..."
dotnet build Portal.sln -c Release -nologo -clp:ErrorsOnly
# The same publish the Dockerfile runs; StartupTests start this output as a process.
dotnet publish src/Portal.Web -c Release --no-build -o "$work/publish" -nologo >/dev/null
export PORTAL_PUBLISHED="$work/publish/Portal.Web.dll"
# CSAF output is checked against the official schemas with ajv (tests/csaf): no .NET validator that restores here reads both their draft-04 and 2020-12 parts.
npm ci --prefix tests/csaf --no-audit --no-fund >/dev/null
export PORTAL_CSAF_VALIDATOR="$PWD/tests/csaf/validate.mjs"

port=$(pg_free_port)
PG_FSYNC=off pg_start "$data" "$port"
echo "Throwaway PostgreSQL on 127.0.0.1:$port"
export PORTAL_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"

status=0
dotnet test Portal.sln -c Release --no-build -nologo "${filter[@]}" --logger "console;verbosity=normal" 2>&1 | tee "$work/test.log" || status=$?

# CI shows only the end of the output: repeat each failed test there with its message and the top of its stack.
awk '/^ *Failed [A-Za-z_][A-Za-z0-9_]*\./ { printing = !seen[$2]++; shown = 0; if (printing) print "---"; }
     /^ *(Passed|Skipped) [A-Za-z_]/ || /^\[xUnit/ || /^Test Run / { printing = 0 }
     printing && shown < 30 { print; shown++ }' "$work/test.log"

# One closing line in the plain form CI reads: "tests: N passed, N failed, N skipped".
awk '/^ *Passed: *[0-9]+ *$/ { p += $2 } /^ *Failed: *[0-9]+ *$/ { f += $2 } /^ *Skipped: *[0-9]+ *$/ { s += $2 }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$work/test.log"
exit $status
