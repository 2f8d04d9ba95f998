"""Open-data exports: dated snapshot as csv and JSON Lines, checksums that verify, rows that match the public API."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from django.core.management import call_command
from django.utils import timezone

from credit_portal.opendata import exports, services
from registry.choices import SubjectCategory
from tests.registry.factories import NaturalPersonFactory, make_resident_id

from .factories import TODAY, published_entry, published_licensing, published_penalty

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_data():
    for _ in range(3):
        published_penalty()
    published_penalty(publication_end_date=TODAY - timezone.timedelta(days=1))  # period over: not public
    for _ in range(2):
        published_licensing()
    published_entry()
    published_entry(status="removed")  # no longer on the list


def _files(manifest: dict) -> dict:
    return {entry["name"]: entry for entry in manifest["files"]}


def test_manifest_checksums_and_counts_verify(settings, published_data):
    manifest = services.export_open_data(day=TODAY)
    folder = settings.OPENDATA_ROOT / TODAY.isoformat()
    on_disk = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["files"] == manifest["files"]
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
        text = data.decode("utf-8-sig")
        lines = [line for line in text.splitlines() if line]
        header = 1 if entry["format"] == "csv" else 0
        assert len(lines) - header == entry["rows"]


def test_snapshot_rows_match_the_public_api(api_client, published_data):
    files = _files(services.export_open_data(day=TODAY))
    for dataset, url in (
        ("penalties", "/api/v1/public/penalties/"),
        ("licensings", "/api/v1/public/licensings/"),
        ("list_entries", "/api/v1/public/list-entries/"),
    ):
        api_count = api_client.get(url).json()["count"]
        assert files[f"{dataset}.csv"]["rows"] == files[f"{dataset}.jsonl"]["rows"] == api_count, dataset
    assert files["penalties.jsonl"]["rows"] == 3
    assert files["list_entries.jsonl"]["rows"] == 1


def test_jsonl_rows_equal_the_public_api_detail(api_client, settings, published_data):
    services.export_open_data(day=TODAY)
    lines = (settings.OPENDATA_ROOT / TODAY.isoformat() / "penalties.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    assert row == api_client.get(f"/api/v1/public/penalties/{row['id']}/").json()


def test_daily_delta_holds_the_days_changes(settings, published_data):
    files = _files(services.export_open_data(day=TODAY))
    # 3 + 1 penalties, 2 licensings, one entry listed and one removed: every outbox event of the day
    assert files["changes.jsonl"]["rows"] == 8
    other_day = _files(services.export_open_data(day=TODAY - timezone.timedelta(days=3)))
    assert other_day["changes.jsonl"]["rows"] == 0


def test_exports_hold_no_id_number_and_mask_natural_persons(settings):
    id_number = make_resident_id(seed=7)
    person = NaturalPersonFactory(name="赵六明", id_number=id_number)
    penalty = published_penalty(
        subject=person, subject_name="赵六明", subject_category=SubjectCategory.NATURAL_PERSON, uscc=""
    )
    penalty.set_id_number(id_number)
    penalty.save()
    published_entry(subject=person)
    services.export_open_data(day=TODAY)
    folder = settings.OPENDATA_ROOT / TODAY.isoformat()
    blob = "".join(path.read_text(encoding="utf-8-sig") for path in folder.iterdir())
    assert id_number not in blob
    assert "赵六明" not in blob
    assert "赵*明" in blob


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_that_look_like_formulas_are_escaped(settings, value):
    published_penalty(subject_name=value, violation_type=value)
    services.export_open_data(day=TODAY)
    text = (settings.OPENDATA_ROOT / TODAY.isoformat() / "penalties.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["subject_name"] == "'" + value
    assert rows[0]["violation_type"] == "'" + value
    assert exports.safe_cell("普通文本") == "普通文本"


def test_export_command_and_public_download_page(client, settings, published_data):
    out = io.StringIO()
    call_command("export_open_data", "--date", TODAY.isoformat(), stdout=out)
    assert out.getvalue().strip().endswith(TODAY.isoformat())
    page = client.get("/open-data/")
    assert page.status_code == 200
    content = page.content.decode()
    assert f"/open-data/{TODAY.isoformat()}/penalties.csv" in content
    assert "violation_type" in content  # the format description lists the fields
    download = client.get(f"/open-data/{TODAY.isoformat()}/penalties.jsonl")
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    manifest = json.loads(client.get(f"/open-data/{TODAY.isoformat()}/manifest.json").getvalue())
    assert hashlib.sha256(body).hexdigest() == _files(manifest)["penalties.jsonl"]["sha256"]


@pytest.mark.parametrize("name", ["../settings.py", "secret.txt", "manifest.json.bak"])
def test_download_serves_only_listed_files(client, settings, name):
    services.export_open_data(day=TODAY)
    (settings.OPENDATA_ROOT / TODAY.isoformat() / "secret.txt").write_text("x")
    assert client.get(f"/open-data/{TODAY.isoformat()}/{name}").status_code == 404
    assert client.get("/open-data/2020-01-01/penalties.csv").status_code == 404
