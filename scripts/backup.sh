#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT, tar.gz).
#
#   DATABASE_URL=postgres://user@host:5432/credit_portal scripts/backup.sh [BACKUP_DIR]
#
# Writes BACKUP_DIR/<UTC timestamp>/{database.dump, media.tar.gz, SHA256SUMS} and prints that folder as its last line.
# MEDIA_ROOT defaults to var/media like the settings. The dump holds personal data (encrypted ID numbers, names):
# keep backups with the same care as the database, and keep PERSONAL_DATA_KEY apart from them (docs/security.md).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
case "$DATABASE_URL" in postgres://* | postgresql://*) ;; *) echo "backup.sh: only PostgreSQL is supported" >&2; exit 2 ;; esac
MEDIA_ROOT="${MEDIA_ROOT:-$PWD/var/media}"
target="${1:-${BACKUP_DIR:-$PWD/var/backups}}/$(date -u +%Y%m%dT%H%M%SZ)"
umask 077
mkdir -p "$target"

pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
    tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .
else
    tar -czf "$target/media.tar.gz" --files-from /dev/null
fi
(cd "$target" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "$target"
