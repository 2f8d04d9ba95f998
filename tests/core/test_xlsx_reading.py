"""``credit_portal.xlsx_reading``: ``open_workbook`` + ``sheet_values`` give exactly openpyxl's ``load_workbook``
(read-only, values) + ``iter_rows(values_only=True)``.

Every kind of cell and layout an upload may hold, in workbooks written by openpyxl (both modes) and by hand (shared
strings, rich text, formulas' cached values, booleans, errors, ISO dates, date and duration styles, cells and rows
without coordinates, gaps, a dimension that is smaller than the data or missing).
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from credit_portal import xlsx_reading

# The hand-made workbooks have no cell style named Normal: openpyxl says so and applies its own.
pytestmark = pytest.mark.filterwarnings("ignore:Workbook contains no default style")


def both(data: bytes) -> tuple[list[tuple], list[tuple]]:
    """(openpyxl's values, ours), each from its own opening of the workbook; the sheets' sizes are the same too."""
    expected_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    expected_sheet = expected_book.worksheets[0]
    expected = list(expected_sheet.iter_rows(values_only=True))
    book = xlsx_reading.open_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert (sheet.title, sheet.min_row, sheet.max_row, sheet.min_column, sheet.max_column) == (
        expected_sheet.title,
        expected_sheet.min_row,
        expected_sheet.max_row,
        expected_sheet.min_column,
        expected_sheet.max_column,
    )
    assert [other.title for other in book.worksheets] == [other.title for other in expected_book.worksheets]
    actual = list(xlsx_reading.sheet_values(sheet))
    return expected, actual


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALUES = [
    "天津市某某有限公司",
    "  前后有空格  ",
    "",
    '=HYPERLINK("http://x")',
    "第一行\n第二行",
    0,
    -5,
    12345678901234,
    1.5,
    1e-7,
    2.5e20,
    True,
    False,
    datetime.datetime(2026, 3, 15, 0, 0),
    datetime.datetime(2026, 3, 15, 8, 30, 15),
    datetime.date(1999, 12, 31),
    None,
]


def test_a_write_only_workbook_with_inline_strings_and_no_dimension():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(["列一", "列二", "列三"])
    for index, value in enumerate(VALUES):
        typed = WriteOnlyCell(sheet, value="=1+1")
        typed.data_type = "s"  # a formula-like text written as a typed string (issue 9 §5)
        sheet.append([value, index, typed] + ([None, "尾"] if index % 3 == 0 else []))
    sheet.append([])
    sheet.append([None, None, "空行之后"])
    expected, actual = both(saved(book))
    assert len(expected) == len(VALUES) + 3
    assert actual == expected


def test_a_normal_workbook_with_gaps_formulas_merged_cells_and_a_late_first_column():
    book = Workbook()
    sheet = book.active
    for row, value in enumerate(VALUES, start=2):
        sheet.cell(row=row * 2, column=3, value=value)  # every other row missing, columns A-B never used
        sheet.cell(row=row * 2, column=6, value=f"文本{row}")
    sheet["H3"] = "=SUM(C4:C6)"  # a formula without a cached value: None with data_only
    sheet["H4"] = '="a"&"b"'
    sheet.merge_cells("C40:E41")
    sheet.cell(row=60, column=2, value=datetime.time(8, 30))
    sheet.cell(row=61, column=2, value=datetime.timedelta(hours=30))
    expected, actual = both(saved(book))
    assert expected[3][2] == VALUES[0]
    assert actual == expected


def test_an_empty_sheet():
    book = Workbook()
    expected, actual = both(saved(book))
    assert actual == expected


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHARED_STRINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{NS}" count="5" uniqueCount="5">
<si><t>共享文本</t></si>
<si><t xml:space="preserve">  保留空格 </t></si>
<si><r><rPr><b/></rPr><t>加粗</t></r><r><t>普通</t></r></si>
<si><t>带注音</t><rPh sb="0" eb="1"><t>zhu</t></rPh></si>
<si><t/></si>
</sst>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{NS}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="46" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
</styleSheet>"""
SHEET_ROWS = """
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>
<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><r><t>行内</t></r><r><rPr><i/></rPr><t>富文本</t></r></is></c>
<c r="B2" t="inlineStr"><is><t xml:space="preserve"> 行内 </t></is></c><c r="C2" t="inlineStr"><is><t/></is></c>
<c r="D2" t="inlineStr"/><c r="E2" t="inlineStr"><is><t>注</t><rPh sb="0" eb="1"><t>zhu</t></rPh></is></c></row>
<row r="3"><c r="A3" t="str"><f>A1&amp;"x"</f><v>共享文本x</v></c><c r="B3" t="b"><v>1</v></c>
<c r="C3" t="b"><v>0</v></c><c r="D3" t="e"><v>#N/A</v></c><c r="E3" t="d"><v>2026-03-15T08:30:00</v></c></row>
<row r="5"><c r="A5" s="1"><v>46096</v></c><c r="B5" s="2"><v>1.25</v></c><c r="C5" s="3"><v>46096.5</v></c>
<c r="D5" s="4"><v>3.14159</v></c><c r="E5" t="n" s="1"><v>45000</v></c></row>
<row r="6"><c r="A6"><v>42</v></c><c r="B6"><v>-1.5E-3</v></c><c r="C6"><v>1e21</v></c><c r="D6"/><c r="E6"><f>1+1</f></c></row>
<row><c><v>7</v></c><c t="s"><v>0</v></c><c r="E7"><v>9</v></c></row>
<row r="9"><c r="C9" t="str"><v></v></c><c r="F9"><v>100</v></c></row>
<row r="12"><c r="B12" s="1"><v>1</v></c></row>
"""


def hand_made(*, dimension: str | None) -> bytes:
    """A workbook as Excel writes one: shared strings, styles, a sheet with every cell type."""
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    files = {
        "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>""",
        "_rels/.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>""",
        "xl/workbook.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""",
        "xl/_rels/workbook.xml.rels": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>""",
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": SHARED_STRINGS,
        "xl/worksheets/sheet1.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{NS}" xmlns:r="{REL_NS}">{dimension_xml}<sheetData>{SHEET_ROWS}</sheetData></worksheet>""",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("dimension", [None, "A1:F12", "A1:E6", "A1:C3", "B2:F20"])
def test_every_cell_type_as_excel_writes_it(dimension):
    expected, actual = both(hand_made(dimension=dimension))
    if dimension is None:
        # The values openpyxl gives for this file, checked once by hand: shared, rich and inline texts, a formula's
        # cached text, booleans, an error, ISO and styled dates, a duration, numbers, cells without coordinates.
        assert expected[0] == ("共享文本", "  保留空格 ", "加粗普通", "带注音", "")  # no dimension: rows not padded
        assert expected[1][:4] == ("行内富文本", " 行内 ", "", None)
        assert expected[2][:4] == ("共享文本x", True, False, "#N/A")
        assert expected[4][0] == datetime.datetime(2026, 3, 15, 0, 0)
        assert isinstance(expected[4][1], datetime.timedelta) and expected[4][3] == 3.14159
        assert expected[6][:2] == (7, "共享文本") and expected[6][4] == 9
        assert list(expected[3]) == []  # row 4 is missing from the file
    assert actual == expected
    assert [type(value) for row in actual for value in row] == [type(value) for row in expected for value in row]


def test_a_sheet_opened_with_formulas_is_read_by_openpyxl_itself():
    """Only ``data_only`` workbooks take the short path; the others are openpyxl's iter_rows unchanged."""
    data = hand_made(dimension=None)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    expected = list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))
    actual = list(xlsx_reading.sheet_values(book.worksheets[0]))
    assert actual == expected
    assert actual[2][0] == '=A1&"x"'


def with_sheet_changed(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with ``old`` replaced by ``new`` in its sheet's XML."""
    changed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(old, new)
            target.writestr(item, content)
    return changed.getvalue()


def test_a_cell_with_a_broken_coordinate_breaks_the_reading_as_in_openpyxl():
    broken = with_sheet_changed(hand_made(dimension=None), b'r="A6"', b'r="6A"')
    book = load_workbook(io.BytesIO(broken), read_only=True, data_only=True)
    with pytest.raises((KeyError, ValueError)):
        list(book.worksheets[0].iter_rows(values_only=True))
    book = xlsx_reading.open_workbook(io.BytesIO(broken))
    with pytest.raises((KeyError, ValueError)):
        list(xlsx_reading.sheet_values(book.worksheets[0]))


def test_opening_a_sheet_without_a_dimension_does_not_read_its_rows():
    """openpyxl parses such a sheet to its end at opening (and finds no dimension); ours stops where the data starts:
    a sheet whose rows are broken opens, and the break is found when the rows are read."""
    # An unclosed cell: the sheet's XML no longer parses from row 9 on.
    broken = with_sheet_changed(hand_made(dimension=None), b'<row r="9">', b'<row r="9"><c r="A9"><v>1</v>')
    with pytest.raises(SyntaxError):  # ElementTree's ParseError
        load_workbook(io.BytesIO(broken), read_only=True, data_only=True)
    book = xlsx_reading.open_workbook(io.BytesIO(broken))
    rows = xlsx_reading.sheet_values(book.worksheets[0])
    assert next(rows)[0] == "共享文本"
    with pytest.raises(SyntaxError):
        list(rows)


def test_a_second_sheet_and_a_chartsheet_are_opened_as_openpyxl_opens_them():
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    book.active.append(["a", 1])
    book.create_sheet("第二页").append(["b", 2])
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=2, min_row=1, max_row=1))
    book.create_chartsheet("图表").add_chart(chart)
    data = saved(book)
    expected = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ours = xlsx_reading.open_workbook(io.BytesIO(data))
    assert ours.sheetnames == expected.sheetnames == ["Sheet", "第二页", "图表"]
    assert list(xlsx_reading.sheet_values(ours["第二页"])) == list(expected["第二页"].iter_rows(values_only=True))
