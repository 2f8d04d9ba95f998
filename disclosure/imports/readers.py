"""Streaming readers of import files and the file-level checks (DOMAIN §3): constant memory in file size."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO

from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from django.utils.translation import gettext_lazy as _

from credit_portal import uploads
from credit_portal.errors import DomainError
from credit_portal.xlsx_reading import open_workbook, sheet_values

from .columns import AMOUNT_FIELDS, DATE_FIELDS, Column, columns_for, header_lookup, normalise_header

XLSX = "xlsx"
CSV = "csv"
# The first bytes of every .xlsx (a zip archive); a renamed .xls or text file is refused before openpyxl sees it.
ZIP_MAGIC = b"PK\x03\x04"


class FileRejected(DomainError):
    """The file as a whole cannot be imported: one clear error, never a traceback (issue 3 §6)."""

    code = "invalid_file"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message, code=code, field="file")


@dataclass(frozen=True)
class RowError:
    """One problem of one row: the file's row number (header = 1), the API field, a stable code, a message."""

    row: int | None  # None: the file as a whole
    field: str | None
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "code": self.code, "message": str(self.message)}


def file_format(name: str) -> str:
    """``xlsx`` or ``csv`` from the file name, or refuse the file."""
    lowered = (name or "").lower()
    if lowered.endswith(".xlsx"):
        return XLSX
    if lowered.endswith(".csv"):
        return CSV
    raise FileRejected(_("只能导入 .xlsx 或 UTF-8 编码的 .csv 文件，请使用下载的模板。"), code="unsupported_type")


UNREADABLE_XLSX = _("无法读取该 .xlsx 文件，请确认文件未损坏并另存为 .xlsx 后再导入。")
# What a damaged or hostile workbook raises while openpyxl opens it or reads its sheet row by row (lazily): XML that
# does not parse (entity expansion refused by expat included: "billion laughs"), a member whose zip data or CRC is
# broken, a value it cannot read.
SHEET_READ_ERRORS = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError)


def check_file(handle: IO[bytes], *, name: str) -> str:
    """Refuse unreadable files at upload time: wrong type, empty, not UTF-8; returns the format."""
    kind = file_format(name)
    handle.seek(0)
    head = handle.read(64 * 1024)
    handle.seek(0)
    if not head:
        raise FileRejected(_("文件为空，请使用下载的模板填写后再导入。"), code="empty_file")
    if kind == XLSX and not head.startswith(ZIP_MAGIC):
        raise FileRejected(
            _("文件不是有效的 .xlsx 工作簿（可能是 .xls 或改了扩展名），请另存为 .xlsx 后再导入。"), code="unreadable"
        )
    if kind == XLSX:
        try:  # zip bombs: refused on their declared sizes, before openpyxl unpacks anything (issue 9 §5)
            uploads.check_xlsx_archive(handle)
        except uploads.UploadRefused as error:
            raise FileRejected(error.message, code=error.code) from None
    if kind == CSV:
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            decoder.decode(head, final=False)  # a character cut at the 64 KiB boundary is not an error
        except UnicodeDecodeError:
            raise FileRejected(
                _("CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”后再导入。"), code="encoding"
            ) from None
    return kind


@contextmanager
def open_rows(handle: IO[bytes], *, name: str) -> Iterator[Iterator[tuple[int, tuple]]]:
    """Yield an iterator of (row number, cell values) over the first sheet or the CSV, header row included."""
    kind = check_file(handle, name=name)
    if kind == XLSX:
        try:
            workbook = open_workbook(handle)
        except (InvalidFileException, *SHEET_READ_ERRORS):
            raise FileRejected(UNREADABLE_XLSX, code="unreadable") from None
        try:
            try:
                sheet = workbook.worksheets[0]
                # The dimension read when the sheet was opened (None when the file declares none, as openpyxl's
                # writers): the progress bar's total without opening the workbook a second time.
                estimate = max(sheet.max_row - 1, 0) if sheet.max_row else None
            except SHEET_READ_ERRORS:
                raise FileRejected(UNREADABLE_XLSX, code="unreadable") from None
            rows = SheetRows(_sheet_rows(sheet))
            rows.estimate = estimate
            yield rows
        finally:
            workbook.close()
    else:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")  # utf-8-sig: with or without BOM
        try:
            yield _csv_rows(text)
        finally:
            text.detach()  # the caller closes the underlying file


def _sheet_rows(sheet) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of a sheet; a file that breaks while it is read is one clear error, not a traceback."""
    number = 0
    try:
        for number, values in enumerate(sheet_values(sheet), start=1):
            yield number, values
    except SHEET_READ_ERRORS:
        if number == 0:
            raise FileRejected(UNREADABLE_XLSX, code="unreadable") from None
        raise FileRejected(
            _("第 %(row)d 行之后的内容无法读取（文件已损坏或含有不允许的内容），请确认文件后另存为 .xlsx 再导入。")
            % {"row": number},
            code="unreadable",
        ) from None


class SheetRows:
    """The rows of a sheet (an iterator), with ``estimate``: data rows as the sheet's dimension says."""

    def __init__(self, rows: Iterator[tuple[int, tuple]]):
        self.rows = rows
        self.estimate: int | None = None

    def __iter__(self) -> SheetRows:
        return self

    def __next__(self) -> tuple[int, tuple]:
        return next(self.rows)


def xlsx_row_estimate(handle: IO[bytes]) -> int | None:
    """Data rows of the first sheet as its stored dimension says (cheap; None when the file does not say)."""
    try:
        workbook = open_workbook(handle)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        return None
    finally:
        handle.seek(0)
    try:
        max_row = workbook.worksheets[0].max_row
    finally:
        workbook.close()
    handle.seek(0)
    return max(max_row - 1, 0) if max_row else None


def _csv_rows(text: io.TextIOWrapper) -> Iterator[tuple[int, tuple]]:
    try:
        for number, row in enumerate(csv.reader(text), start=1):
            yield number, tuple(row)
    except UnicodeDecodeError:
        raise FileRejected(
            _("CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”后再导入。"), code="encoding"
        ) from None
    except csv.Error as error:
        raise FileRejected(_("CSV 文件格式有误：%(error)s") % {"error": error}, code="unreadable") from None


def is_blank(values: tuple) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


@dataclass(frozen=True)
class HeaderMap:
    """Position of each known column in the file's header row."""

    positions: tuple[tuple[int, Column], ...]

    def record(self, values: tuple) -> dict[str, object]:
        """The row's cells by API field name; computed columns are skipped."""
        data: dict[str, object] = {}
        for index, column in self.positions:
            if column.ignored:
                continue
            data[column.field] = values[index] if index < len(values) else None
        return data


def map_header(kind: str, header: tuple) -> HeaderMap:
    """Match the header row to the template; unknown, repeated or missing columns refuse the file."""
    lookup = header_lookup(kind)
    positions: list[tuple[int, Column]] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    repeated: list[str] = []
    for index, cell in enumerate(header):
        key = normalise_header(cell)
        if not key:
            continue  # an empty trailing cell is not a column
        column = lookup.get(key)
        if column is None:
            unknown.append(str(cell).strip())
            continue
        if column.field in seen:
            repeated.append(str(cell).strip())
            continue
        seen[column.field] = key
        positions.append((index, column))
    errors: list[RowError] = []
    if unknown:
        errors.append(
            RowError(
                1,
                "file",
                "unknown_column",
                _("表头有模板中没有的列：%(columns)s。请使用下载的模板，列名须与模板一致。")
                % {"columns": "、".join(unknown)},
            )
        )
    if repeated:
        errors.append(
            RowError(
                1, "file", "duplicate_column", _("表头中的列重复：%(columns)s。") % {"columns": "、".join(repeated)}
            )
        )
    missing = [column.header for column in columns_for(kind) if column.required and column.field not in seen]
    if missing:
        errors.append(
            RowError(1, "file", "missing_column", _("缺少必填列：%(columns)s。") % {"columns": "、".join(missing)})
        )
    if errors:
        raise HeaderRejected(errors)
    return HeaderMap(tuple(positions))


class HeaderRejected(FileRejected):
    """The header row does not match the template; ``errors`` lists every problem (row 1)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("；".join(str(error.message) for error in errors), code=errors[0].code)


# --- cell values ------------------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object) -> object:
    """Excel dates, serial numbers and YYYY-MM-DD / YYYY/MM/DD / YYYY年M月D日 → ``date``; anything else unchanged."""
    if type(value) is str and _ISO_DATE.fullmatch(value):  # the template's own form, the common case: at C speed
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value  # 2024-02-30: the validation module reports it
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial day numbers up to 9999-12-31
            converted = from_excel(value)
            return converted.date() if isinstance(converted, datetime) else converted
        return str(value)
    text = str(value or "").strip()
    match = _DATE_TEXT.match(text) or _COMPACT_DATE.match(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return text  # 2024-02-30: the validation module reports it
    return text


def cell_text(value: object) -> str:
    """A cell as trimmed text; numbers without the float noise Excel adds (1.0 → 1)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def amount_text(value: object) -> str:
    text = cell_text(value).replace(",", "").replace("，", "")
    try:
        return format(Decimal(text), "f") if text else ""
    except InvalidOperation:
        return text  # the validation module says the amount is not a number


# DOMAIN §3: 处罚类别 values are separated by ";" (people also type ；、, and ，).
_CATEGORY_SEPARATORS = re.compile(r"[;；、,，]")
# Categories of the 行政处罚法 before 2021 and common spellings → the current list. The combined
# 暂扣或者吊销 value names two measures; the decision's own text says which one was applied.
_OLD_CATEGORIES = {
    "暂扣或者吊销许可证": ("暂扣许可证件", "吊销许可证件"),
    "暂扣或者吊销执照": ("暂扣许可证件", "吊销许可证件"),
    "暂扣或吊销许可证": ("暂扣许可证件", "吊销许可证件"),
    "暂扣或吊销执照": ("暂扣许可证件", "吊销许可证件"),
    "暂扣许可证": ("暂扣许可证件",),
    "暂扣执照": ("暂扣许可证件",),
    "暂扣营业执照": ("暂扣许可证件",),
    "吊销许可证": ("吊销许可证件",),
    "吊销执照": ("吊销许可证件",),
    "吊销营业执照": ("吊销许可证件",),
    "没收违法所得和非法财物": ("没收违法所得", "没收非法财物"),
    "没收": ("没收违法所得",),
    "停产停业": ("责令停产停业",),
}


def split_categories(value: object, *, content: str = "") -> list[str]:
    """处罚类别 cell → list of current category names, old (pre-2021) values mapped, order kept, no repeats."""
    categories: list[str] = []
    for part in _CATEGORY_SEPARATORS.split(cell_text(value)):
        name = "".join(part.split())
        if not name:
            continue
        mapped = _OLD_CATEGORIES.get(name, (name,))
        if len(mapped) == 2 and mapped == ("暂扣许可证件", "吊销许可证件"):
            mapped = _suspension_or_revocation(content)
        for category in mapped:
            if category not in categories:
                categories.append(category)
    return categories


def _suspension_or_revocation(content: str) -> tuple[str, ...]:
    says_suspend, says_revoke = "暂扣" in content, "吊销" in content
    if says_suspend and not says_revoke:
        return ("暂扣许可证件",)
    if says_revoke and not says_suspend:
        return ("吊销许可证件",)
    return ("暂扣许可证件", "吊销许可证件")  # the text does not tell: keep both, the longer period applies (DOMAIN §5)


def prepare(kind: str, data: dict[str, object]) -> dict[str, object]:
    """Cells → the plain values the validation module expects (dates as ``date``, categories as a list)."""
    prepared: dict[str, object] = {}
    for name, value in data.items():
        if name in DATE_FIELDS:
            parsed = parse_date(value)
            prepared[name] = parsed if parsed != "" else None
        elif name in AMOUNT_FIELDS:
            prepared[name] = amount_text(value) or None
        elif name == "penalty_categories":
            prepared[name] = split_categories(value, content=cell_text(data.get("content")))
        else:
            prepared[name] = cell_text(value)
    return prepared


def _text_cell(value: object) -> str:
    return value.strip() if type(value) is str else cell_text(value)


def _date_cell(value: object) -> object:
    parsed = parse_date(value)
    return parsed if parsed != "" else None


def _amount_cell(value: object) -> str | None:
    return amount_text(value) or None


def preparer(kind: str, header: HeaderMap) -> Callable[[tuple], dict[str, object]]:
    """``prepare(kind, header.record(values))`` as one function per file: each column's conversion is chosen once,
    not looked up per cell (an import converts 100,000 rows × 30 columns)."""
    plan: list[tuple[int, str, Callable[[object], object]]] = []
    categories_at: int | None = None
    for index, column in header.positions:
        if column.ignored:
            continue
        if column.field == "penalty_categories":
            categories_at = index
        elif column.field in DATE_FIELDS:
            plan.append((index, column.field, _date_cell))
        elif column.field in AMOUNT_FIELDS:
            plan.append((index, column.field, _amount_cell))
        else:
            plan.append((index, column.field, _text_cell))

    def prepare_row(values: tuple) -> dict[str, object]:
        size = len(values)
        data = {name: convert(values[index] if index < size else None) for index, name, convert in plan}
        if categories_at is not None:
            cell = values[categories_at] if categories_at < size else None
            data["penalty_categories"] = split_categories(cell, content=data.get("content") or "")
        return data

    return prepare_row
