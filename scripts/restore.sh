#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a new, empty PostgreSQL database, and its uploaded files.
#
#   TARGET_DATABASE_URL=postgres://user@host:5432/credit_portal_restored MEDIA_ROOT=/srv/media \
#       scripts/restore.sh BACKUP_FOLDER
#
# The target database is created (UTF-8, C.UTF-8 collation, as DOMAIN §13 asks for the name search) and must not
# exist yet: a restore never overwrites live data. MEDIA_ROOT must be empty or missing.
set -euo pipefail

backup="${1:?usage: restore.sh BACKUP_FOLDER}"
: "${TARGET_DATABASE_URL:?TARGET_DATABASE_URL must name the new database}"
: "${MEDIA_ROOT:?MEDIA_ROOT must name the folder for the uploaded files}"
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

database="${TARGET_DATABASE_URL##*/}"
database="${database%%\?*}"
server="${TARGET_DATABASE_URL%/*}/postgres"
if [ -n "$(psql "$server" -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    echo "restore.sh: database $database already exists; restore into a new database" >&2
    exit 3
fi
psql "$server" -v ON_ERROR_STOP=1 -qc \
    "CREATE DATABASE \"$database\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$TARGET_DATABASE_URL" "$backup/database.dump"

mkdir -p "$MEDIA_ROOT"
if [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
    echo "restore.sh: $MEDIA_ROOT is not empty" >&2
    exit 4
fi
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"
echo "restored into $database and $MEDIA_ROOT"
