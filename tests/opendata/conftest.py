import pytest


@pytest.fixture(autouse=True)
def _opendata_settings(settings, tmp_path):
    """Snapshots in a temporary folder; the sync reads outbox events at once (no commit lag to wait for in a test)."""
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    settings.OPENDATA_SYNC_LAG_SECONDS = 0
