"""DB_WORK_MEM sets PostgreSQL's work_mem for the portal's connections (docs/production.md, issue 10 (a))."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SHOW = "from django.db import connection; c = connection.cursor(); c.execute('SHOW work_mem'); print(c.fetchone()[0])"


@pytest.mark.django_db
def test_db_work_mem_is_the_connections_work_mem():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]

    def work_mem(**extra):
        command = [sys.executable, "manage.py", "shell", "-c", SHOW]
        result = subprocess.run(command, cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]  # after the shell's own "objects imported" line

    assert work_mem(DB_WORK_MEM="48MB") == "48MB"
    env.pop("DB_WORK_MEM", None)
    assert work_mem() != "48MB"  # unset: the server's own value


@pytest.mark.parametrize("value", ["32 MB", "32mb", "0MB", "32MB -c statement_timeout=0", "lots"])
def test_a_bad_db_work_mem_stops_the_start_with_its_name(value):
    # Settings only: no connection is made, so any PostgreSQL address will do.
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused", "DB_WORK_MEM": value}
    command = [sys.executable, "manage.py", "check"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert (
        "DB_WORK_MEM must be a PostgreSQL memory size such as 32MB" in result.stderr and repr(value) in result.stderr
    )
