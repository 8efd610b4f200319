#!/usr/bin/env bash
# Backs up and restores the portal: the database (pg_dump custom format) and the evidence folder, in one
# tar archive with a manifest and SHA-256 checksums, so a truncated or foreign file is refused before
# anything is touched. run.sh calls it, and so do the tests.
#
#   scripts/backup.sh backup DIR                          writes DIR/portal-YYYYMMDDTHHMMSSZ.tar, prints its path
#   scripts/backup.sh restore FILE                        replaces the database and the evidence folder
#   scripts/backup.sh restore FILE --into DB STORAGE_DIR  restores into a new database and folder, touching nothing else
#
# The database comes from PGHOST, PGPORT, PGUSER and PGDATABASE; the evidence folder from PORTAL_STORAGE.
# A restore goes into a fresh database first; only when it has fully succeeded is the live one renamed
# to <name>_before_restore_<time> (kept, drop it when satisfied) and the new one takes its name.
set -euo pipefail
# Archives hold password hashes and every circular: readable by their owner only.
umask 077
here=$(cd "$(dirname "$0")" && pwd)
source "$here/postgres.sh"
PG_BIN=$(pg_bin)
[ -n "$PG_BIN" ] || { echo "PostgreSQL client tools are not installed (apt-get install postgresql)." >&2; exit 1; }
FORMAT="advisory-portal-backup 1"
: "${PGDATABASE:?PGDATABASE names the database}"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

work=$(mktemp -d "${TMPDIR:-/tmp}/portal-backup.XXXXXX")
chmod 755 "$work"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

refuse() {
  echo "Restore refused: $*" >&2
  echo "Nothing was changed." >&2
  exit 1
}

psql_admin() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
db_exists() { [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = "1" ]; }

backup() {
  local dir=$1 storage=${PORTAL_STORAGE:-}
  mkdir -p "$dir"
  "$PG_BIN/pg_dump" --format=custom --no-owner --no-acl --file="$work/db.dump" "$PGDATABASE"
  if [ -n "$storage" ] && [ -d "$storage" ]; then
    tar -C "$storage" -cf "$work/storage.tar" .
  else
    tar -C "$work" -cf "$work/storage.tar" --files-from=/dev/null
  fi
  local stamp
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  printf '%s\ncreated %s\ndatabase %s\n' "$FORMAT" "$stamp" "$PGDATABASE" >"$work/MANIFEST"
  (cd "$work" && sha256sum db.dump storage.tar MANIFEST >SHA256SUMS)
  local name="$dir/portal-$stamp.tar" n=1
  while [ -e "$name" ]; do name="$dir/portal-$stamp-$n.tar"; n=$((n + 1)); done
  # Written under another name first: a backup cut short never looks like a finished one.
  tar -C "$work" -cf "$name.partial" MANIFEST SHA256SUMS db.dump storage.tar
  mv "$name.partial" "$name"
  echo "$name"
}

# Extracts and checks the archive into $work/in; refuses (changing nothing) unless it is whole and ours.
verify() {
  local file=$1
  [ -f "$file" ] && [ -r "$file" ] || refuse "$file is not a readable file."
  mkdir "$work/in"
  local members
  members=$(tar -tf "$file" 2>/dev/null | sort | tr '\n' ' ') || refuse "$file is not a tar archive, or it is truncated."
  [ "$members" = "MANIFEST SHA256SUMS db.dump storage.tar " ] || refuse "$file is not a portal backup (it holds: ${members:-nothing})."
  tar -C "$work/in" -xf "$file" MANIFEST SHA256SUMS db.dump storage.tar 2>/dev/null || refuse "$file is truncated or damaged."
  [ "$(head -n 1 "$work/in/MANIFEST")" = "$FORMAT" ] || refuse "$file is not a portal backup of a format this script knows."
  [ "$(awk '{print $2}' "$work/in/SHA256SUMS" | sort | tr '\n' ' ')" = "MANIFEST db.dump storage.tar " ] || refuse "$file has an incomplete checksum list."
  (cd "$work/in" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1) || refuse "$file is damaged: a checksum does not match."
  "$PG_BIN/pg_restore" --list "$work/in/db.dump" >/dev/null 2>&1 || refuse "the database dump in $file cannot be read."
  if tar -tf "$work/in/storage.tar" | grep -qE '(^/|(^|/)\.\.(/|$))'; then refuse "the evidence folder in $file names paths outside itself."; fi
}

restore_database() {
  local target=$1
  psql_admin -c "CREATE DATABASE \"$target\" TEMPLATE template0 ENCODING 'UTF8'"
  if ! "$PG_BIN/pg_restore" --no-owner --no-acl --exit-on-error --single-transaction -d "$target" "$work/in/db.dump"; then
    psql_admin -c "DROP DATABASE IF EXISTS \"$target\""
    refuse "the dump could not be restored into a new database."
  fi
}

restore() {
  local file=$1 into=${2:-} into_storage=${3:-}
  verify "$file"
  local stamp
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  if [ -n "$into" ]; then
    [[ "$into" =~ ^[a-z_][a-z0-9_]*$ ]] || refuse "the database name '$into' must be lower-case letters, digits and _."
    [ -n "$into_storage" ] || refuse "--into needs a folder for the evidence too."
    db_exists "$into" && refuse "the database $into already exists."
    if [ -e "$into_storage" ] && [ -n "$(ls -A "$into_storage")" ]; then refuse "$into_storage is not empty."; fi
    restore_database "$into"
    mkdir -p "$into_storage"
    tar -C "$into_storage" -xf "$work/in/storage.tar"
    echo "Restored $file into the database $into and the folder $into_storage."
    return
  fi

  local live=$PGDATABASE storage=${PORTAL_STORAGE:-}
  [[ "$live" =~ ^[a-z_][a-z0-9_]*$ ]] || refuse "the database name '$live' must be lower-case letters, digits and _."
  local fresh="${live}_restoring_${stamp,,}" kept="${live}_before_restore_${stamp,,}"
  restore_database "$fresh"
  if [ -n "$storage" ]; then
    rm -rf "$storage.restoring"
    mkdir -p "$storage.restoring"
    tar -C "$storage.restoring" -xf "$work/in/storage.tar"
  fi
  # The swap: two renames, after closing the connections left to the live database.
  psql_admin -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$live' AND pid <> pg_backend_pid()" >/dev/null
  if db_exists "$live"; then psql_admin -c "ALTER DATABASE \"$live\" RENAME TO \"$kept\""; fi
  psql_admin -c "ALTER DATABASE \"$fresh\" RENAME TO \"$live\""
  local kept_storage=""
  if [ -n "$storage" ]; then
    if [ -e "$storage" ]; then
      mv "$storage" "$storage.before-restore-$stamp"
      kept_storage=" and the previous evidence folder as $storage.before-restore-$stamp"
    fi
    mv "$storage.restoring" "$storage"
  fi
  echo "Restored $file into $live. The previous database is kept as $kept$kept_storage."
}

case "${1:-}" in
  backup) [ $# -eq 2 ] || { echo "Usage: $0 backup DIR" >&2; exit 2; }; backup "$2" ;;
  restore)
    if [ $# -eq 2 ]; then restore "$2"
    elif [ $# -eq 5 ] && [ "$3" = "--into" ]; then restore "$2" "$4" "$5"
    else echo "Usage: $0 restore FILE [--into DATABASE STORAGE_DIR]" >&2; exit 2
    fi ;;
  *) echo "Usage: $0 backup DIR | restore FILE [--into DATABASE STORAGE_DIR]" >&2; exit 2 ;;
esac
