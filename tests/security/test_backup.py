"""Backup and restore (issue 9 §8): scripts/backup.sh dumps the database and the uploads, scripts/restore.sh puts
them into a new database where every table has the same number of rows and every uploaded file is back.

PostgreSQL only (pg_dump / pg_restore); skipped on SQLite.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="backups are pg_dump / pg_restore: PostgreSQL only",
    ),
]


def _url(name: str) -> str:
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "")
    if settings.get("PASSWORD"):
        credentials += ":" + quote(settings["PASSWORD"])
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{name}"


def _row_counts(url: str) -> dict[str, int]:
    """Rows per table of the public schema, counted exactly."""
    query = (
        "SELECT string_agg(format('SELECT %L, count(*) FROM %I', tablename, tablename), ' UNION ALL ') "
        "FROM pg_tables WHERE schemaname = 'public'"
    )
    union = subprocess.run(["psql", url, "-Atc", query], check=True, capture_output=True, text=True).stdout.strip()
    rows = subprocess.run(["psql", url, "-At", "-F", "\t", "-c", union], check=True, capture_output=True, text=True)
    return {name: int(count) for name, count in (line.split("\t") for line in rows.stdout.splitlines())}


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_record_and_every_uploaded_file(tmp_path, settings):
    media = tmp_path / "media"
    (media / "repair" / "2026" / "11").mkdir(parents=True)
    (media / "repair" / "2026" / "11" / "承诺书.pdf").write_bytes(b"%PDF-1.4 test\n")
    (media / "imports").mkdir()
    (media / "imports" / "penalties.csv").write_text("行政相对人名称\n天津测试科技有限公司\n", encoding="utf-8")
    settings.MEDIA_ROOT = media
    call_command("generate_demo", subjects=40, seed=3, stdout=io.StringIO())
    source = _url(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = _url(restored_name)
    env = {**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(media)}
    subprocess.run(["psql", _url("postgres"), "-qc", f'DROP DATABASE IF EXISTS "{restored_name}"'], check=True)
    try:
        backup = (
            subprocess.run(
                [str(ROOT / "scripts" / "backup.sh"), str(tmp_path / "backups")],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=300,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        target_media = tmp_path / "restored-media"
        subprocess.run(
            [str(ROOT / "scripts" / "restore.sh"), backup],
            env={**env, "TARGET_DATABASE_URL": restored, "MEDIA_ROOT": str(target_media)},
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        before, after = _row_counts(source), _row_counts(restored)
        assert before["registry_subject"] == 40
        assert before == after
        files = sorted(path.relative_to(media) for path in media.rglob("*") if path.is_file())
        assert sorted(path.relative_to(target_media) for path in target_media.rglob("*") if path.is_file()) == files
        assert (target_media / "imports" / "penalties.csv").read_text(encoding="utf-8").startswith("行政相对人名称")
        # A restore never overwrites: the same target again is refused.
        again = subprocess.run(
            [str(ROOT / "scripts" / "restore.sh"), backup],
            env={**env, "TARGET_DATABASE_URL": restored, "MEDIA_ROOT": str(tmp_path / "other")},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode == 3 and "already exists" in again.stderr
    finally:
        subprocess.run(["psql", _url("postgres"), "-qc", f'DROP DATABASE IF EXISTS "{restored_name}"'], check=False)
