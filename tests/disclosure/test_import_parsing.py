"""Import files: headers, encodings, dates and categories, before anything reaches the database (DOMAIN §3)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from disclosure.imports import readers, templates
from disclosure.imports.columns import LICENSING, PENALTY, columns_for
from disclosure.imports.templates import headers as headers_for_test


def _rows(data: bytes, name: str) -> list[tuple[int, tuple]]:
    with readers.open_rows(io.BytesIO(data), name=name) as rows:
        return list(rows)


def test_csv_with_bom_and_without_bom_read_the_same_header():
    body = "行政相对人名称,行政处罚决定书文号\n某公司,津罚〔2024〕1号\n"
    with_bom = _rows(("\ufeff" + body).encode("utf-8"), "a.csv")
    without_bom = _rows(body.encode("utf-8"), "a.csv")
    assert with_bom == without_bom
    assert with_bom[0] == (1, ("行政相对人名称", "行政处罚决定书文号"))
    assert with_bom[1] == (2, ("某公司", "津罚〔2024〕1号"))


def test_xlsx_rows_are_read_with_their_row_numbers_and_excel_dates():
    data = templates.write_table("xlsx", [["行政相对人名称", "处罚决定日期"], ["某公司", datetime(2024, 3, 1)]])
    rows = _rows(data, "a.XLSX")
    assert rows[0] == (1, ("行政相对人名称", "处罚决定日期"))
    assert rows[1][0] == 2
    assert readers.parse_date(rows[1][1][1]) == date(2024, 3, 1)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("records.xls", b"\xd0\xcf\x11\xe0", "unsupported_type"),
        ("records.txt", b"abc", "unsupported_type"),
        ("records.xlsx", b"", "empty_file"),
        ("records.xlsx", "行政相对人名称\n".encode(), "unreadable"),
        ("records.xlsx", b"PK\x03\x04broken zip", "unreadable"),
        ("records.csv", "行政相对人名称\n某公司\n".encode("gbk"), "encoding"),
    ],
)
def test_broken_files_are_refused_with_one_error_on_the_file_field(name, data, code):
    with pytest.raises(readers.FileRejected) as refused:
        _rows(data, name)
    assert refused.value.code == code
    assert refused.value.field == "file"


def test_unknown_column_is_reported_with_its_name():
    header = tuple(headers_for_test(PENALTY)) + ("联系电话",)
    with pytest.raises(readers.HeaderRejected) as refused:
        readers.map_header(PENALTY, header)
    codes = {error.code for error in refused.value.errors}
    assert codes == {"unknown_column"}
    assert "联系电话" in refused.value.errors[0].message
    assert refused.value.errors[0].row == 1


def test_missing_mandatory_columns_are_named():
    header = tuple(name for name in headers_for_test(PENALTY) if name not in ("处罚类别", "处罚决定日期"))
    with pytest.raises(readers.HeaderRejected) as refused:
        readers.map_header(PENALTY, header)
    (error,) = refused.value.errors
    assert error.code == "missing_column"
    assert "处罚类别" in error.message and "处罚决定日期" in error.message


def test_long_form_identifier_headers_and_any_column_order_are_accepted():
    header = list(reversed(headers_for_test(PENALTY)))
    header[header.index("统一社会信用代码")] = "行政相对人代码_1（统一社会信用代码）"
    header[header.index("工商注册号")] = "行政相对人代码_2(工商注册号)"
    mapping = readers.map_header(PENALTY, tuple(header))
    values = tuple(f"v{index}" for index in range(len(header)))
    record = mapping.record(values)
    assert record["uscc"] == values[header.index("行政相对人代码_1（统一社会信用代码）")]
    assert record["registration_number"] == values[header.index("行政相对人代码_2(工商注册号)")]
    assert record["subject_name"] == values[header.index("行政相对人名称")]


def test_computed_publication_end_column_is_accepted_but_not_read():
    header = tuple(headers_for_test(PENALTY)) + ("公示截止期",)
    record = readers.map_header(PENALTY, header).record(tuple("x" for _ in header))
    assert "publication_end_date" not in record


def test_licensing_and_penalty_headers_differ():
    with pytest.raises(readers.HeaderRejected):
        readers.map_header(LICENSING, tuple(headers_for_test(PENALTY)))


@pytest.mark.parametrize(
    "value",
    ["2024-03-01", "2024/3/1", "2024年3月1日", "2024.03.01", "20240301", datetime(2024, 3, 1, 0, 0), 45352],
)
def test_dates_in_every_accepted_form(value):
    assert readers.parse_date(value) == date(2024, 3, 1)


@pytest.mark.parametrize("value", ["2024-02-30", "下周一", "2024-13-01"])
def test_impossible_dates_are_left_for_validation_to_report(value):
    assert readers.parse_date(value) == value


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("警告;罚款", ["警告", "罚款"]),
        ("警告；罚款、没收违法所得,通报批评", ["警告", "罚款", "没收违法所得", "通报批评"]),
        ("没收违法所得、没收非法财物", ["没收违法所得", "没收非法财物"]),
        ("罚款;罚款", ["罚款"]),
    ],
)
def test_penalty_categories_are_split_on_every_separator(cell, expected):
    assert readers.split_categories(cell) == expected


def test_old_suspension_or_revocation_value_is_mapped_by_the_decision_text():
    old = "暂扣或者吊销许可证、暂扣或者吊销执照"
    assert readers.split_categories(old, content="吊销食品经营许可证") == ["吊销许可证件"]
    assert readers.split_categories(old, content="暂扣许可证三个月") == ["暂扣许可证件"]
    assert readers.split_categories(old, content="") == ["暂扣许可证件", "吊销许可证件"]


def test_amounts_lose_excel_float_noise():
    assert readers.amount_text(5.0) == "5"
    assert readers.amount_text(0.35) == "0.35"
    assert readers.amount_text("1,200.5") == "1200.5"


@pytest.mark.parametrize("kind", [LICENSING, PENALTY])
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_downloaded_template_has_exactly_the_accepted_header(kind, file_format):
    data = templates.template_file(kind, file_format)
    rows = _rows(data, f"t.{file_format}")
    assert len(rows) == 1
    mapping = readers.map_header(kind, rows[0][1])
    assert {column.field for _index, column in mapping.positions} == {
        column.field for column in columns_for(kind) if not column.ignored
    }
