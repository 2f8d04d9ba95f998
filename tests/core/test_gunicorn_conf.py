"""docs/deploy/gunicorn.conf.py: gunicorn reads it, and its pre_fork hook hides the preloaded objects from the GC."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "gunicorn.conf.py"


def test_every_setting_of_the_file_is_one_gunicorn_knows():
    values = runpy.run_path(str(CONF))
    known = Config().settings
    settings = {name for name in values if not name.startswith("_") and name not in {"gc", "multiprocessing", "os"}}
    assert settings <= set(known), settings - set(known)
    assert values["worker_class"] == "gthread" and values["preload_app"] is True


def test_pre_fork_freezes_what_the_master_allocated():
    pre_fork = runpy.run_path(str(CONF))["pre_fork"]
    gc.unfreeze()
    try:
        pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
