"""Safe cells for every csv and xlsx export: no text a spreadsheet would run as a formula (issue 9 §5).

OWASP "CSV injection": a cell beginning with = + - @ (or a tab or carriage return, which some spreadsheets skip
before such a character) is evaluated by Excel and LibreOffice. In csv such a text gets a leading apostrophe; in xlsx
it is written as a typed string cell, which no spreadsheet evaluates and which keeps the text unchanged (so that a
disclosure error copy can be corrected and imported again). Numbers are never altered: -5 stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell

from django.utils.functional import Promise

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: object) -> object:
    """One csv value: None as empty, a formula-like text behind an apostrophe, anything else unchanged."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)  # lazy translations
    if is_formula_like(value):
        return "'" + value
    return value


def csv_row(row: Iterable[object]) -> list[object]:
    return [csv_cell(value) for value in row]


def xlsx_cell(sheet, value: object):
    """A value for ``sheet.append``: formula-like text as a typed string cell, other values as they are."""
    if isinstance(value, Promise):
        value = str(value)
    if is_formula_like(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        return cell
    return value


def xlsx_row(sheet, row: Iterable[object]) -> list[object]:
    return [xlsx_cell(sheet, value) for value in row]
