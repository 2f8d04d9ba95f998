"""Downloadable files: the national import template and the per-row error report (DOMAIN §3)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from django.utils.translation import gettext as _

from credit_portal.spreadsheets import csv_row, is_formula_like, xlsx_row

from . import readers
from .columns import KIND_LABELS, columns_for, label_of, normalise_header
from .readers import CSV, XLSX

ERROR_HEADER = "错误说明"

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}


def headers(kind: str) -> list[str]:
    return [column.header for column in columns_for(kind) if not column.ignored]


def write_table(file_format: str, rows: Iterable[Iterable[object]], *, sheet_title: str = "Sheet1") -> bytes:
    """Rows (header first) as .xlsx or UTF-8 .csv with BOM (so that Excel opens it in Chinese)."""
    if file_format == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(csv_row(row))  # formula-like texts behind an apostrophe (issue 9 §5)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        if index == 0:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if is_formula_like(value):  # an uploaded file's own header row, in an error copy
                    cell.data_type = "s"
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        else:
            # Typed string cells: a value such as "=HYPERLINK(...)" from an uploaded file is shown, never run, and
            # imports again unchanged (issue 9 §5).
            sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_file(kind: str, file_format: str) -> bytes:
    """The national template: the header row only, so that a file filled from it never imports an example."""
    return write_table(file_format, [headers(kind)], sheet_title=str(KIND_LABELS[kind]))


def template_filename(kind: str, file_format: str) -> str:
    return f"{kind}-import-template.{file_format}"


def error_copy(job) -> bytes:
    """The file's bad rows as .xlsx, each with a 错误说明 column; corrected, it can be imported as it is."""
    by_row: dict[int, list[str]] = {}
    for error in job.errors or []:
        if error.get("row") and error.get("field") != "file":
            label = label_of(job.kind, error.get("field"))
            by_row.setdefault(error["row"], []).append(f"{label}：{error['message']}" if label else error["message"])

    def rows():
        with job.file.open("rb") as handle, readers.open_rows(handle, name=job.original_name) as source:
            for number, values in source:
                values = ["" if value is None else value for value in values]
                if number == 1:
                    kept = [index for index, value in enumerate(values) if normalise_header(value) != ERROR_HEADER]
                    yield [values[index] for index in kept] + [ERROR_HEADER]
                elif number in by_row:
                    yield [values[index] if index < len(values) else "" for index in kept] + [
                        "；".join(by_row[number])
                    ]

    return write_table(XLSX, rows(), sheet_title=str(_("错误行")))


def error_report(kind: str, errors: Iterable[dict]) -> bytes:
    """The per-row errors as a UTF-8 CSV (row, column, code, message)."""
    rows = [[_("行号"), _("列"), _("错误代码"), _("错误说明")]]
    for error in errors:
        rows.append([error.get("row"), label_of(kind, error.get("field")), error.get("code"), error.get("message")])
    return write_table(CSV, rows)
