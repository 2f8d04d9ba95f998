"""The open-data page in a real browser: reached from the nav, lists the snapshot, downloads a file that verifies."""

from __future__ import annotations

import hashlib
import json

import pytest
from playwright.sync_api import expect

from credit_portal.opendata import services
from tests.opendata.factories import TODAY, published_entry, published_penalty

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_downloads_a_snapshot_file_whose_checksum_verifies(page, screenshot, settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    settings.OPENDATA_SYNC_LAG_SECONDS = 0
    published_penalty()
    published_entry()
    manifest = services.export_open_data(day=TODAY)
    page.goto("/")
    page.get_by_role("link", name="公开数据").first.click()
    page.get_by_role("heading", name="公开数据下载").wait_for()
    expect(page.get_by_role("heading", name="格式说明")).to_be_visible()
    screenshot(page, "opendata-snapshots")
    with page.expect_download() as info:
        page.get_by_role("link", name="penalties.jsonl").click()
    body = open(info.value.path(), "rb").read()
    expected = {entry["name"]: entry for entry in manifest["files"]}["penalties.jsonl"]
    assert hashlib.sha256(body).hexdigest() == expected["sha256"]
    assert len([json.loads(line) for line in body.decode().splitlines()]) == expected["rows"] == 1
