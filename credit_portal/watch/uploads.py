"""Reading codes from an uploaded csv or xlsx file, with the file's row numbers (header = row 1 when present)."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError
from credit_portal.uploads import check_xlsx_archive
from registry import codes

HEADER_NAMES = {"统一社会信用代码", "行政相对人代码_1（统一社会信用代码）", "行政相对人代码_1", "代码", "uscc", "code"}
ZIP_MAGIC = b"PK\x03\x04"


class FileRejected(DomainError):
    code = "invalid_file"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message, code=code, field="file")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rows(handle: IO[bytes], *, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet or the csv; refuses unreadable files with one message."""
    lowered = (name or "").lower()
    handle.seek(0)
    head = handle.read(64 * 1024)
    handle.seek(0)
    if not head:
        raise FileRejected(_("文件为空。"), code="empty_file")
    if lowered.endswith(".xlsx"):
        if not head.startswith(ZIP_MAGIC):
            raise FileRejected(_("文件不是有效的 .xlsx 工作簿，请另存为 .xlsx 后再上传。"), code="unreadable")
        yield from _xlsx_rows(handle)
    elif lowered.endswith(".csv"):
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            raise FileRejected(_("CSV 文件不是 UTF-8 编码，请另存为“CSV UTF-8”后再上传。"), code="encoding") from None
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        try:
            for number, row in enumerate(csv.reader(text), start=1):
                yield number, [cell.strip() for cell in row]
        except (UnicodeDecodeError, csv.Error):
            raise FileRejected(_("CSV 文件无法读取，请检查编码（UTF-8）和格式。"), code="unreadable") from None
        finally:
            text.detach()
    else:
        raise FileRejected(_("只能上传 .xlsx 或 UTF-8 编码的 .csv 文件。"), code="unsupported_type")


def _xlsx_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    from openpyxl.utils.exceptions import InvalidFileException

    from credit_portal.xlsx_reading import open_workbook, sheet_values

    check_xlsx_archive(handle)  # a zip bomb is refused before anything is unpacked (issue 9 §5)
    try:
        workbook = open_workbook(handle)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileRejected(_("无法读取该 .xlsx 文件，请确认文件未损坏。"), code="unreadable") from None
    try:
        for number, row in enumerate(sheet_values(workbook.worksheets[0]), start=1):
            yield number, [_cell(value) for value in row]
    finally:
        workbook.close()


def code_cells(handle: IO[bytes], *, name: str) -> Iterator[tuple[int, str]]:
    """(row number, code cell) of each non-blank row: the 统一社会信用代码 column, or the first one without a header."""
    column = 0
    for number, cells in rows(handle, name=name):
        if number == 1:
            named = [index for index, cell in enumerate(cells) if cell.strip().lower() in HEADER_NAMES]
            if named:
                column = named[0]
                continue
            first = cells[0] if cells else ""
            if first and not codes.looks_like_uscc(first) and not first.isascii():
                continue  # another Chinese header: the codes are in the first column
        value = cells[column] if column < len(cells) else ""
        if value:
            yield number, value
