"""Watchlists: codes checked as GB 32100-2015 says, uploads with a row-numbered report, repeats ignored (issue 12)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from credit_portal.errors import NotFound
from credit_portal.watch import services
from credit_portal.watch.models import WatchedSubject
from registry import codes as registry_codes

from .factories import code

pytestmark = pytest.mark.django_db


def _wrong_check(value: str) -> str:
    expected = value[17]
    other = "1" if expected != "1" else "2"
    return value[:17] + other


@pytest.fixture
def watchlist(clerk):
    return services.create_watchlist(owner=clerk, name="重点企业")


def test_a_code_is_added_normalised_and_a_bad_one_is_refused_with_the_failed_rule(watchlist, clerk):
    good = code(1)
    watched = services.add_code(watchlist=watchlist, by=clerk, code=f" {good[:9]}-{good[9:].lower()} ")
    assert watched.uscc == good
    with pytest.raises(services.WatchError) as refused:
        services.add_code(watchlist=watchlist, by=clerk, code=_wrong_check(code(2)))
    assert refused.value.code == "invalid_code"
    assert "第18位校验码应为" in str(refused.value.message)
    with pytest.raises(services.DuplicateCode):
        services.add_code(watchlist=watchlist, by=clerk, code=good)


TWO_PROBLEMS = "B9000000MA0000001X"  # an unknown authority and a wrong check character


def test_several_failed_rules_are_joined_in_the_readers_language(watchlist, clerk):
    with translation.override("en"), pytest.raises(services.WatchError) as refused:
        services.add_code(watchlist=watchlist, by=clerk, code=TWO_PROBLEMS)
    message = str(refused.value.message)
    assert "does not exist.; The check character" in message
    assert "；" not in message
    with translation.override("en"):
        report = services.upload_codes(
            watchlist=watchlist, by=clerk, handle=io.BytesIO(TWO_PROBLEMS.encode()), name="codes.csv"
        )
    assert report.invalid[0]["message"].startswith("Row 1: The registration authority code")
    assert "does not exist.; The check character" in report.invalid[0]["message"]
    with pytest.raises(services.WatchError) as refused:
        services.add_code(watchlist=watchlist, by=clerk, code=TWO_PROBLEMS)
    assert "不存在。；第18位校验码" in str(refused.value.message)


def test_list_names_are_unique_per_owner_only(clerk, clerk_b):
    services.create_watchlist(owner=clerk, name="银行客户")
    services.create_watchlist(owner=clerk_b, name="银行客户")
    with pytest.raises(services.WatchError) as refused:
        services.create_watchlist(owner=clerk, name="银行客户")
    assert "同名" in str(refused.value.message)


def test_csv_upload_reports_each_bad_row_by_number_and_ignores_repeats(watchlist, clerk):
    existing = code(10)
    services.add_code(watchlist=watchlist, by=clerk, code=existing)
    lines = [
        "企业名称,统一社会信用代码",  # row 1: header, codes in the second column
        f"甲公司,{code(11)}",  # 2
        f"乙公司,{_wrong_check(code(12))}",  # 3: check character
        "丙公司,91120111ABC",  # 4: length
        f"丁公司,{code(13)}",  # 5
        f"甲公司,{code(11)}",  # 6: repeated in the file
        f"戊公司,{existing}",  # 7: already on the list
        ",",  # 8: blank
        f"己公司,{'I' + code(14)[1:]}",  # 9: a letter the standard forbids
    ]
    report = services.upload_codes(
        watchlist=watchlist, by=clerk, handle=io.BytesIO("\n".join(lines).encode("utf-8-sig")), name="codes.csv"
    )
    assert report.rows == 7  # the blank row is skipped
    assert report.added == 2
    assert report.duplicates == 2
    invalid = {item["row"]: item["message"] for item in report.invalid}
    assert set(invalid) == {3, 4, 9}
    assert "第18位校验码应为" in invalid[3]
    assert "应为18位" in invalid[4]
    assert "第1位字符“I”不允许使用" in invalid[9]
    assert invalid[3].startswith("第3行")
    assert set(watchlist.subjects.values_list("uscc", flat=True)) == {existing, code(11), code(13)}


def test_xlsx_upload_without_header_reads_the_first_column(watchlist, clerk):
    book = Workbook()
    sheet = book.active
    for n in range(5):
        sheet.append([code(20 + n), "备注"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    report = services.upload_codes(watchlist=watchlist, by=clerk, handle=data, name="codes.xlsx")
    assert (report.rows, report.added, report.invalid) == (5, 5, [])


def test_an_upload_over_the_limit_is_refused_before_anything_is_added(watchlist, clerk, settings):
    settings.WATCH_UPLOAD_MAX_CODES = 3
    data = "\n".join(code(30 + n) for n in range(4)).encode()
    with pytest.raises(services.TooManyCodes):
        services.upload_codes(watchlist=watchlist, by=clerk, handle=io.BytesIO(data), name="codes.csv")
    assert not WatchedSubject.objects.exists()


def test_a_large_upload_is_inserted_set_based(watchlist, clerk, django_assert_max_num_queries):
    all_codes = [registry_codes.normalise(code(1000 + n)) for n in range(3000)]
    data = "\n".join(all_codes).encode()
    # Batched INSERTs (SQLite caps a statement's parameters, so a few more there), never one query per code.
    with django_assert_max_num_queries(30):
        report = services.upload_codes(watchlist=watchlist, by=clerk, handle=io.BytesIO(data), name="codes.csv")
    assert report.added == 3000


def test_a_wrong_file_type_is_refused_with_one_message(watchlist, clerk):
    with pytest.raises(services.DomainError) as refused:
        services.upload_codes(watchlist=watchlist, by=clerk, handle=io.BytesIO(b"x"), name="codes.xls")
    assert refused.value.field == "file"


def test_removing_codes_and_nobody_else_may_change_the_list(watchlist, clerk, clerk_b):
    services.add_code(watchlist=watchlist, by=clerk, code=code(40))
    with pytest.raises(NotFound):
        services.add_code(watchlist=watchlist, by=clerk_b, code=code(41))
    with pytest.raises(NotFound):
        services.remove_codes(watchlist=watchlist, by=clerk_b, codes_to_remove=[code(40)])
    assert services.remove_codes(watchlist=watchlist, by=clerk, codes_to_remove=[code(40), code(41)]) == 1


def test_the_upload_page_shows_the_report_in_chinese(client, clerk, watchlist):
    client.force_login(clerk)
    data = f"{code(50)}\n12345\n".encode()
    response = client.post(
        reverse("watch-list-upload", args=[watchlist.pk]),
        {"file": SimpleUploadedFile("codes.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "上传结果" in page
    assert "第2行" in page and "应为18位" in page


def test_the_api_adds_lists_and_uploads(api_for, clerk):
    api = api_for(clerk)
    created = api.post("/api/v1/watch/watchlists/", {"name": "授信客户"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.post(f"/api/v1/watch/watchlists/{pk}/subjects/", {"uscc": code(60)}, format="json").status_code == 201
    bad = api.post(f"/api/v1/watch/watchlists/{pk}/subjects/", {"uscc": "91120111"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "uscc"
    upload = api.post(
        f"/api/v1/watch/watchlists/{pk}/upload/",
        {"file": SimpleUploadedFile("c.csv", f"{code(61)}\n{code(60)}\nxx\n".encode())},
        format="multipart",
    )
    assert upload.status_code == 200, upload.content
    assert upload.json()["added"] == 1 and upload.json()["duplicates"] == 1
    assert upload.json()["invalid"][0]["row"] == 3
    listed = api.get(f"/api/v1/watch/watchlists/{pk}/subjects/").json()
    assert {item["uscc"] for item in listed["results"]} == {code(60), code(61)}
    removed = api.post(f"/api/v1/watch/watchlists/{pk}/remove-subjects/", {"codes": [code(60)]}, format="json")
    assert removed.json() == {"removed": 1}
