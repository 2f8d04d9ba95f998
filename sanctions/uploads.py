"""Reading a batch of codes from an uploaded csv or xlsx file (DOMAIN §7: up to 10,000 per check)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext_lazy as _

from credit_portal.uploads import check_xlsx_archive
from registry import codes

from .errors import ErrorCode, SanctionsError

HEADER_NAMES = {"统一社会信用代码", "代码", "uscc", "code"}


def read_codes(upload, *, limit: int) -> list[str]:
    """The first column's values (the 统一社会信用代码 column where there is a header), blank rows skipped."""
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        check_xlsx_archive(upload)  # a zip bomb is refused before anything is unpacked (issue 9 §5)
    try:
        rows = _xlsx_rows(upload) if name.endswith(".xlsx") else _csv_rows(upload)
        values = _code_column(rows, limit=limit)
    except SanctionsError:
        raise
    except Exception as exc:  # a corrupt or mislabelled file: tell the clerk, whatever the parser said
        raise SanctionsError(
            _("文件无法读取，请上传 xlsx 或 UTF-8 编码的 csv 文件。"), code=ErrorCode.BAD_FILE, field="file"
        ) from exc
    if not values:
        raise SanctionsError(_("文件中没有统一社会信用代码。"), code=ErrorCode.NO_SUBJECTS, field="file")
    return values


def _csv_rows(upload):
    text = upload.read().decode("utf-8-sig")
    return csv.reader(io.StringIO(text))


def _xlsx_rows(upload):
    from credit_portal.xlsx_reading import open_workbook, sheet_values

    workbook = open_workbook(upload)
    for row in sheet_values(workbook.active):
        yield ["" if value is None else str(value) for value in row]


def _code_column(rows, *, limit: int) -> list[str]:
    column = 0
    values: list[str] = []
    for index, row in enumerate(rows):
        cells = [cell.strip() for cell in row]
        if index == 0:
            header = [cell.lower() for cell in cells]
            named = [i for i, cell in enumerate(header) if cell in HEADER_NAMES]
            if named:
                column = named[0]
                continue
            if (
                cells and cells[0] and not codes.looks_like_uscc(cells[0]) and not cells[0].isascii()
            ):  # a Chinese header
                continue
        if column >= len(cells) or not cells[column]:
            continue
        values.append(cells[column])
        if len(values) > limit:
            raise SanctionsError(
                _("一次最多核查%(limit)s个主体，请拆分文件。") % {"limit": limit},
                code=ErrorCode.TOO_MANY_SUBJECTS,
                field="file",
            )
    return values
