"""Reading the values of an uploaded sheet faster than openpyxl's read-only ``iter_rows(values_only=True)``.

Uploads (双公示 imports, batch credit checks, watchlists) are read with openpyxl in read-only mode. Per cell it
builds a rich-text object for every inline string, the form openpyxl itself and the portal's templates write: about
40% of the reading time, with the coordinate parsed by a generic routine. ``sheet_values`` gives the same tuples as
``sheet.iter_rows(values_only=True)`` through openpyxl's own parser, in which plain cells (text that is shared,
inline or a formula's cached result, and numbers without a date style) are read straight off the XML element; every
other cell (dates, booleans, errors, rich text, ISO dates) still goes through openpyxl's ``parse_cell``. The
workbook is opened by openpyxl as before (styles, shared strings, the sheet's dimension and date formats).
tests/core/test_xlsx_reading.py compares the values with openpyxl's on every kind of cell and layout.

``open_workbook`` is ``load_workbook(handle, read_only=True, data_only=True)`` without one wasted pass: to find a
sheet's ``<dimension>``, openpyxl parses the sheet until the end of ``<sheetData>``, that is the whole sheet when the
file has no dimension (openpyxl's own writers and the portal's templates write none), and then finds nothing. The
dimension can only come before ``<sheetData>`` (ECMA-376 CT_Worksheet), so here the search stops where the data
starts: the same sizes, without reading a 100,000-row sheet once more at upload and once more in the worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import IO

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import (
    DATA_TAG,
    DIMENSION_TAG,
    INLINE_STRING,
    VALUE_TAG,
    WorkSheetParser,
    _cast_number,
)
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_PLAIN_TYPES = frozenset({None, "n", "s", "str", "inlineStr"})
_DIGITS = "0123456789"


@lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    return column_index_from_string(letters)


class _PlainCellParser(WorkSheetParser):
    """openpyxl's worksheet parser with a short path for plain cells (values only: formulas are not read)."""

    def parse_cell(self, element):
        data_type = element.get("t")
        if data_type not in _PLAIN_TYPES:
            return super().parse_cell(element)
        if data_type is None or data_type == "n":
            style = element.get("s")
            if style and int(style) in self.date_formats:
                return super().parse_cell(element)  # a date or a duration
            value = element.findtext(VALUE_TAG) or None
            if value is not None:
                value = _cast_number(value)
        elif data_type == "inlineStr":
            text = element.find(INLINE_STRING)
            if text is None:
                value = None
            elif len(text) == 1 and text[0].tag == TEXT_TAG:
                value = text[0].text or ""
            else:
                return super().parse_cell(element)  # rich text runs, phonetic guides
        else:
            value = element.findtext(VALUE_TAG) or None
            if value is not None and data_type == "s":
                value = self.shared_strings[int(value)]
        coordinate = element.get("r")
        if coordinate:
            self.col_counter = _column_index(coordinate.rstrip(_DIGITS))
        else:
            self.col_counter += 1
        return {"row": self.row_counter, "column": self.col_counter, "value": value}


def sheet_values(sheet) -> Iterator[tuple]:
    """``sheet.iter_rows(values_only=True)`` of a read-only workbook opened with ``data_only=True``, faster."""
    if not isinstance(sheet, ReadOnlyWorksheet) or not sheet.parent.data_only:
        yield from sheet.iter_rows(values_only=True)
        return
    # As openpyxl's ReadOnlyWorksheet._cells_by_row(1, 1, max_column, max_row, values_only=True).
    min_col, max_col, max_row = 1, sheet.max_column, sheet.max_row
    empty_row = (None,) * (max_col + 1 - min_col) if max_col is not None else []  # openpyxl's values, types too
    counter = 1
    index = 1
    with sheet._get_source() as source:
        parser = _PlainCellParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=sheet.parent.epoch,
            date_formats=sheet.parent._date_formats,
            timedelta_formats=sheet.parent._timedelta_formats,
        )
        for index, cells in parser.parse():
            if max_row is not None and index > max_row:
                break
            for _missing in range(counter, index):  # rows the file leaves out
                counter += 1
                yield empty_row
            if counter <= index:
                counter += 1
                yield _row_values(cells, min_col, max_col)
    if max_row is not None and max_row < index:
        for _missing in range(counter, max_row + 1):
            yield empty_row


def _row_values(cells: list[dict], min_col: int, max_col: int | None) -> tuple:
    """As openpyxl's ReadOnlyWorksheet._get_row(values_only=True): one value per column, None where empty."""
    if not cells and not max_col:
        return ()
    max_col = max_col or cells[-1]["column"]
    values = [None] * (max_col + 1 - min_col)
    for cell in cells:
        column = cell["column"]
        if min_col <= column <= max_col:
            values[column - min_col] = cell["value"]
    return tuple(values)


class _ReadOnlySheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, its size read from the ``<dimension>`` before the data, never past it."""

    def _get_size(self):
        with self._get_source() as source:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start" and element.tag == DATA_TAG:
                    return  # no dimension: openpyxl finds none either, after reading the whole sheet
                if event == "end" and element.tag == DIMENSION_TAG:
                    self._min_column, self._min_row, self._max_column, self._max_row = SheetDimension.from_tree(
                        element
                    ).boundaries
                    return


class _ReadOnlyReader(ExcelReader):
    """openpyxl's workbook reader in read-only mode, making ``_ReadOnlySheet`` sheets (as its read_worksheets)."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _ReadOnlySheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def open_workbook(handle: IO[bytes]) -> Workbook:
    """``openpyxl.load_workbook(handle, read_only=True, data_only=True)``, raising the same errors; close it after."""
    reader = _ReadOnlyReader(handle, read_only=True, data_only=True)
    reader.read()
    return reader.wb
