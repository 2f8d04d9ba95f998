"""Bulk import of 双公示 records (DOMAIN §3, §11; issue 3 §6): good rows in, bad rows reported by file row number."""

from __future__ import annotations

import csv
import datetime
import gc
import io
import threading
import time

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.choices import ImportStatus, RecordStatus
from disclosure.imports import readers, services, templates
from disclosure.models import ImportJob, Licensing, Penalty
from tests.registry.factories import make_resident_id, make_uscc

pytestmark = pytest.mark.django_db

DECISION = (datetime.date.today() - datetime.timedelta(days=20)).isoformat()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def penalty_row(number: int, department, **overrides) -> dict[str, object]:
    """One good 行政处罚 row keyed by the template's headers."""
    row = {
        "行政相对人名称": f"天津导入测试有限公司{number}",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": make_uscc("9", "1", seed=5000 + number),
        "法定代表人": "李四",
        "行政处罚决定书文号": f"津西市监罚〔2024〕{number}号",
        "违法行为类型": "违反食品安全法",
        "违法事实": "经营超过保质期的食品",
        "处罚依据": "《中华人民共和国食品安全法》第一百二十四条",
        "处罚类别": "警告;罚款",
        "处罚内容": "警告，罚款人民币一万元",
        "罚款金额（万元）": "1",
        "处罚决定日期": DECISION,
        "处罚机关": department.name,
        "处罚机关统一社会信用代码": department.uscc,
    }
    row.update(overrides)
    return row


def licensing_row(number: int, department, **overrides) -> dict[str, object]:
    row = {
        "行政相对人名称": f"天津许可导入有限公司{number}",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": make_uscc("9", "1", seed=7000 + number),
        "法定代表人": "王五",
        "行政许可决定文书名称": "食品经营许可决定书",
        "行政许可决定文书号": f"津西市监许〔2024〕{number}号",
        "许可类别": "普通",
        "许可内容": "食品经营许可",
        "许可决定日期": DECISION,
        "有效期自": DECISION,
        "有效期至": "2099-12-31",
        "许可机关": department.name,
        "许可机关统一社会信用代码": department.uscc,
    }
    row.update(overrides)
    return row


def build_file(rows: list[dict[str, object]], file_format: str = "xlsx", *, header: list[str] | None = None) -> bytes:
    header = header or list(dict.fromkeys(name for row in rows for name in row))
    return templates.write_table(file_format, [header, *([row.get(name, "") for name in header] for row in rows)])


def upload(api, data: bytes, name: str = "records.xlsx", kind: str = "penalty", **extra):
    return api.post(
        "/api/v1/disclosure/imports/",
        {"kind": kind, "file": SimpleUploadedFile(name, data), **extra},
        format="multipart",
    )


@pytest.fixture
def clerk_api(clerk, api_for, django_capture_on_commit_callbacks):
    """The clerk's API client; the import task (eager without Redis) runs when the upload commits."""
    client = api_for(clerk)

    class Client:
        def post(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(*args, **kwargs)

        def get(self, *args, **kwargs):
            return client.get(*args, **kwargs)

    return Client()


def job_of(api, response) -> dict:
    assert response.status_code == 202, response.content
    return api.get(f"/api/v1/disclosure/imports/{response.json()['id']}/").json()


def test_good_xlsx_file_is_imported_as_drafts_of_the_clerks_department(clerk_api, clerk, department_a):
    rows = [penalty_row(index, department_a) for index in range(1, 6)]
    response = upload(clerk_api, build_file(rows))
    assert set(response.json()) == {"id", "status"}
    job = job_of(clerk_api, response)
    assert (job["status"], job["total"], job["imported"], job["failed"], job["errors"]) == ("done", 5, 5, 0, [])
    penalties = Penalty.objects.filter(department=department_a)
    assert penalties.count() == 5
    penalty = penalties.get(document_number="津西市监罚〔2024〕3号")
    assert penalty.status == RecordStatus.DRAFT and penalty.filed_by == clerk
    assert penalty.penalty_categories == ["warning", "fine"]
    assert penalty.decision_date.isoformat() == DECISION


def test_csv_with_bom_long_form_headers_in_any_order_is_imported(clerk_api, department_a):
    rows = [penalty_row(index, department_a) for index in range(1, 4)]
    for row in rows:
        row["行政相对人代码_1（统一社会信用代码）"] = row.pop("统一社会信用代码")
    header = list(reversed(list(rows[0])))
    data = build_file(rows, "csv", header=header)
    assert data.startswith("\ufeff".encode())
    job = job_of(clerk_api, upload(clerk_api, data, "records.csv"))
    assert (job["imported"], job["failed"]) == (3, 0)


def test_csv_without_bom_is_imported(clerk_api, department_a):
    data = build_file([penalty_row(1, department_a)], "csv")[len("\ufeff".encode()) :]
    assert job_of(clerk_api, upload(clerk_api, data, "records.csv"))["imported"] == 1


def test_dates_in_chinese_and_slash_forms_and_excel_dates(clerk_api, department_a):
    rows = [
        penalty_row(1, department_a, 处罚决定日期="2024年3月5日"),
        penalty_row(2, department_a, 处罚决定日期="2024/03/06"),
        penalty_row(3, department_a, 处罚决定日期=datetime.datetime(2024, 3, 7)),
    ]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows)))
    assert job["imported"] == 3, job["errors"]
    dates = sorted(Penalty.objects.values_list("decision_date", flat=True))
    assert dates == [datetime.date(2024, 3, 5), datetime.date(2024, 3, 6), datetime.date(2024, 3, 7)]


def test_bad_rows_are_reported_with_file_row_numbers_and_good_rows_still_imported(clerk_api, department_a):
    rows = [
        penalty_row(1, department_a),  # file row 2
        penalty_row(2, department_a, 统一社会信用代码="91350100M000100Y44"),  # row 3: wrong check character
        penalty_row(3, department_a),  # row 4
        {name: "" for name in penalty_row(0, department_a)},  # row 5: blank, skipped, still counted in numbering
        penalty_row(4, department_a, 处罚决定日期="2024-02-30", 处罚类别="罚款;吊打"),  # row 6: two faults
        penalty_row(5, department_a, **{"罚款金额（万元）": ""}),  # row 7: fine without amount
        penalty_row(6, department_a),  # row 8
    ]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows)))
    assert (job["status"], job["imported"], job["failed"], job["total"]) == ("done", 3, 3, 6)
    found = {(error["row"], error["field"], error["code"]) for error in job["errors"]}
    assert (3, "uscc", "check_digit") in found
    assert (6, "decision_date", "invalid_date") in found
    assert (6, "penalty_categories", "invalid_penalty_category") in found
    assert (7, "fine_amount", "fine_amount_required") in found
    assert {row for row, _field, _code in found} == {3, 6, 7}
    assert all(error["message"] for error in job["errors"])
    assert "第18位校验码应为" in next(e["message"] for e in job["errors"] if e["code"] == "check_digit")
    assert sorted(Penalty.objects.values_list("document_number", flat=True)) == [
        "津西市监罚〔2024〕1号",
        "津西市监罚〔2024〕3号",
        "津西市监罚〔2024〕6号",
    ]


def test_old_pre_2021_category_values_are_mapped_not_refused(clerk_api, department_a):
    rows = [
        penalty_row(
            1,
            department_a,
            处罚类别="没收违法所得、没收非法财物",
            **{"罚款金额（万元）": "", "没收违法所得、没收非法财物的金额（万元）": "2.5"},
        ),
        penalty_row(
            2,
            department_a,
            处罚类别="暂扣或者吊销许可证、暂扣或者吊销执照",
            处罚内容="吊销食品经营许可证",
            暂扣或吊销证照名称及编号="食品经营许可证 JY11201110001",
            **{"罚款金额（万元）": ""},
        ),
    ]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows)))
    assert job["imported"] == 2, job["errors"]
    categories = dict(Penalty.objects.values_list("document_number", "penalty_categories"))
    assert categories["津西市监罚〔2024〕1号"] == ["confiscate_gains", "confiscate_property"]
    assert categories["津西市监罚〔2024〕2号"] == ["revoke_licence"]


def test_reimporting_a_file_updates_instead_of_duplicating(clerk_api, department_a):
    rows = [penalty_row(index, department_a) for index in range(1, 4)]
    job_of(clerk_api, upload(clerk_api, build_file(rows)))
    rows[1]["处罚内容"] = "警告，罚款人民币两万元"
    rows[1]["罚款金额（万元）"] = "2"
    again = job_of(clerk_api, upload(clerk_api, build_file(rows)))
    assert (again["imported"], again["failed"]) == (3, 0)
    assert Penalty.objects.count() == 3
    changed = Penalty.objects.get(document_number="津西市监罚〔2024〕2号")
    assert changed.content == "警告，罚款人民币两万元" and str(changed.fine_amount.normalize()) == "2"


def test_same_document_number_twice_in_one_file_is_reported_on_the_second_row(clerk_api, department_a):
    rows = [penalty_row(1, department_a), penalty_row(1, department_a, 处罚内容="另一份")]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows)))
    assert job["imported"] == 1
    assert [(e["row"], e["field"], e["code"]) for e in job["errors"]] == [(3, "document_number", "duplicate_in_file")]


def test_rows_of_the_second_batch_keep_their_file_row_numbers(clerk_api, department_a, settings):
    settings.DISCLOSURE_IMPORT_BATCH_SIZE = 3
    rows = [penalty_row(index, department_a) for index in range(1, 9)]
    rows[6]["行政相对人类别"] = "外星人"  # file row 8, in the third batch
    job = job_of(clerk_api, upload(clerk_api, build_file(rows)))
    assert (job["imported"], job["failed"]) == (7, 1)
    assert [(e["row"], e["field"]) for e in job["errors"]] == [(8, "subject_category")]


def test_natural_person_rows_store_the_id_number_encrypted_only(clerk_api, department_a):
    id_number = make_resident_id(seed=21)
    row = penalty_row(
        1,
        department_a,
        行政相对人名称="赵六",
        行政相对人类别="自然人",
        统一社会信用代码="",
        法定代表人="",
        证件类型="身份证",
        证件号码=id_number,
        处罚类别="警告",
        **{"罚款金额（万元）": ""},
    )
    job = job_of(clerk_api, upload(clerk_api, build_file([row])))
    assert job["imported"] == 1, job["errors"]
    penalty = Penalty.objects.get()
    assert penalty.reveal_id_number() == id_number
    assert id_number not in penalty.id_number_encrypted


def test_licensing_file_is_imported(clerk_api, department_a):
    rows = [licensing_row(1, department_a), licensing_row(2, department_a, 许可类别="特许", 有效期至="2020-01-01")]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows), kind="行政许可"))
    assert job["imported"] == 1
    assert [(e["row"], e["field"]) for e in job["errors"]] == [(3, "valid_to")]
    assert Licensing.objects.get().licence_category == "ordinary"


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(clerk_api, department_a):
    rows = [penalty_row(1, department_a), penalty_row(2, department_a, 处罚决定日期="明天")]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows), is_all_or_nothing="true"))
    assert (job["status"], job["imported"], job["failed"]) == ("done", 0, 2)
    assert job["errors"][0]["code"] == "all_or_nothing"
    assert (3, "decision_date") in {(e["row"], e["field"]) for e in job["errors"]}
    assert not Penalty.objects.exists()


def test_unknown_column_refuses_the_upload_naming_the_column(clerk_api, department_a):
    rows = [penalty_row(1, department_a, 联系电话="022-12345678")]
    response = upload(clerk_api, build_file(rows))
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "file" and error["code"] == "unknown_column" and "联系电话" in error["message"]
    assert not ImportJob.objects.exists()


def test_missing_mandatory_column_refuses_the_upload(clerk_api, department_a):
    row = penalty_row(1, department_a)
    del row["处罚类别"]
    response = upload(clerk_api, build_file([row]))
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("file", "missing_column") and "处罚类别" in error["message"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("records.xls", b"\xd0\xcf\x11\xe0\xa1\xb1", "unsupported_type"),
        ("records.xlsx", b"not a workbook", "unreadable"),
        ("records.csv", "行政相对人名称\n".encode("gbk"), "encoding"),
        ("records.csv", b"", "required"),
    ],
)
def test_broken_files_get_one_clear_400_on_the_file_field(clerk_api, name, data, code):
    response = upload(clerk_api, data, name)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == "file"
    assert errors[0]["code"] in {code, "empty"}


def test_oversized_file_is_refused_before_a_job_is_queued(clerk_api, department_a, settings):
    settings.DISCLOSURE_IMPORT_MAX_BYTES = 1024
    rows = [penalty_row(index, department_a) for index in range(1, 40)]
    response = upload(clerk_api, build_file(rows, "csv"), "records.csv")
    assert response.status_code == 400
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == ("file", "too_large")
    assert not ImportJob.objects.exists()


def test_kind_must_be_licensing_or_penalty(clerk_api, department_a):
    response = upload(clerk_api, build_file([penalty_row(1, department_a)]), kind="sanction")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "kind"


def test_a_job_is_visible_to_its_department_only(clerk_api, api_for, clerk_b, reviewer, department_a):
    job_id = upload(clerk_api, build_file([penalty_row(1, department_a)])).json()["id"]
    assert api_for(clerk_b).get(f"/api/v1/disclosure/imports/{job_id}/").status_code == 404
    assert api_for(reviewer).get(f"/api/v1/disclosure/imports/{job_id}/").status_code == 200
    assert api_for(None).get(f"/api/v1/disclosure/imports/{job_id}/").status_code in (401, 403)
    assert [job["id"] for job in api_for(clerk_b).get("/api/v1/disclosure/imports/").json()["results"]] == []


def test_only_clerks_upload(api_for, reviewer, department_a):
    response = api_for(reviewer).post(
        "/api/v1/disclosure/imports/",
        {"kind": "penalty", "file": SimpleUploadedFile("a.xlsx", build_file([penalty_row(1, department_a)]))},
        format="multipart",
    )
    assert response.status_code == 403


def test_running_the_task_twice_changes_nothing(clerk_api, department_a):
    job = job_of(clerk_api, upload(clerk_api, build_file([penalty_row(1, department_a)])))
    assert services.run_import(job_id=job["id"]) is None  # finished: the rerun returns at once
    ImportJob.objects.filter(pk=job["id"]).update(status=ImportStatus.RUNNING)  # as if a worker died mid-way
    services.run_import(job_id=job["id"])
    assert Penalty.objects.count() == 1
    assert ImportJob.objects.get(pk=job["id"]).imported == 1


def test_import_queries_do_not_grow_with_rows(clerk, department_a, settings):
    settings.DISCLOSURE_IMPORT_BATCH_SIZE = 1000

    def run(first: int, count: int) -> list[str]:
        rows = [penalty_row(index, department_a) for index in range(first, first + count)]
        job = ImportJob.objects.create(
            kind="penalty",
            department=department_a,
            uploaded_by=clerk,
            file=SimpleUploadedFile("r.csv", build_file(rows, "csv")),
            original_name="r.csv",
        )
        with CaptureQueriesContext(connection) as queries:
            services.run_import(job_id=job.pk)
        assert ImportJob.objects.get(pk=job.pk).imported == count
        return [query["sql"] for query in queries.captured_queries]

    run(1, 2)  # warm the per-process calendar and content-type caches
    small, large = run(10, 5), run(100, 60)
    # A bulk INSERT is split by the backend's parameter limit (SQLite: 999), never one statement per row.
    not_inserts = [len([sql for sql in queries if not sql.startswith("INSERT")]) for queries in (small, large)]
    assert not_inserts[0] == not_inserts[1]
    inserts = len([sql for sql in large if sql.startswith("INSERT")])
    assert inserts < 60 / 4, inserts


@pytest.mark.parametrize("kind", ["licensing", "penalty"])
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_template_downloads_from_api_and_page(client, api_client, kind, file_format):
    api = api_client.get(f"/api/v1/disclosure/imports/templates/{kind}.{file_format}")
    page = client.get(reverse("disclosure-import-template", args=[kind, file_format]))
    for response in (api, page):
        assert response.status_code == 200
        assert f"{kind}-import-template.{file_format}" in response["Content-Disposition"]
        with readers.open_rows(io.BytesIO(response.content), name=f"t.{file_format}") as rows:
            assert [list(values) for _number, values in rows] == [templates.headers(kind)]


def test_error_report_csv_lists_row_column_and_message(clerk_api, clerk, client, department_a):
    rows = [penalty_row(1, department_a), penalty_row(2, department_a, 处罚决定日期="下周")]
    job_id = upload(clerk_api, build_file(rows)).json()["id"]
    client.force_login(clerk)
    response = client.get(reverse("disclosure-import-errors", args=[job_id]))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["行号", "列", "错误代码", "错误说明"]
    assert lines[1][:3] == ["3", "处罚决定日期", "invalid_date"]
    api_report = clerk_api.get(f"/api/v1/disclosure/imports/{job_id}/errors-report/")
    assert api_report.content == response.content


def test_import_page_uploads_and_shows_errors_in_chinese(
    client, clerk, department_a, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    page = client.get(reverse("disclosure-import"))
    assert page.status_code == 200 and "下载导入模板" in page.content.decode()
    rows = [penalty_row(1, department_a), penalty_row(2, department_a, 行政相对人类别="外星人")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("disclosure-import"),
            {"kind": "penalty", "file": SimpleUploadedFile("records.xlsx", build_file(rows))},
        )
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "导入结果" in body and "已完成" in body
    assert "行政相对人类别" in body and "外星人" in body
    assert reverse("disclosure-import-errors", args=[ImportJob.objects.get().pk]) in body


def test_import_page_shows_header_errors_on_the_form(client, clerk, department_a):
    client.force_login(clerk)
    response = client.post(
        reverse("disclosure-import"),
        {
            "kind": "penalty",
            "file": SimpleUploadedFile("r.xlsx", build_file([penalty_row(1, department_a, 邮箱="x")])),
        },
    )
    assert response.status_code == 200
    assert "邮箱" in response.content.decode() and not ImportJob.objects.exists()


def test_import_job_page_is_404_for_another_department(client, clerk_b, clerk_api, department_a):
    job_id = upload(clerk_api, build_file([penalty_row(1, department_a)])).json()["id"]
    client.force_login(clerk_b)
    assert client.get(reverse("disclosure-import-job", args=[job_id])).status_code == 404
    assert client.get(reverse("disclosure-import-errors", args=[job_id])).status_code == 404


def test_an_unexpected_failure_marks_the_job_failed_with_a_message_not_a_traceback(clerk, department_a):
    job = ImportJob.objects.create(
        kind="penalty",
        department=department_a,
        uploaded_by=clerk,
        file=SimpleUploadedFile("r.csv", build_file([penalty_row(1, department_a)], "csv")),
        original_name="r.csv",
    )
    job.file.storage.delete(job.file.name)  # the stored upload is gone
    services.run_import(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert [(e["field"], e["code"]) for e in job.errors] == [("file", "import_failed")]
    assert "Traceback" not in job.errors[0]["message"]


def test_progress_total_is_known_before_the_first_batch_for_excel_files_and_csv(department_a):
    from openpyxl import Workbook

    from disclosure.imports import readers

    rows = [penalty_row(index, department_a) for index in range(1, 8)]
    workbook = Workbook()  # as Excel saves it: with the sheet's dimension
    for values in [list(rows[0]), *(list(row.values()) for row in rows)]:
        workbook.active.append(values)
    excel = io.BytesIO()
    workbook.save(excel)
    excel.seek(0)
    assert readers.xlsx_row_estimate(excel) == 7 and excel.tell() == 0
    data = io.BytesIO(build_file(rows, "csv"))
    assert services._estimate_rows(data, name="r.csv") == 7 and data.tell() == 0


def test_import_list_query_count_does_not_grow_with_jobs(clerk, api_for, department_a, django_assert_max_num_queries):
    for index in range(15):
        ImportJob.objects.create(
            kind="penalty",
            department=department_a,
            uploaded_by=clerk,
            file=f"imports/{index}.csv",
            original_name="r.csv",
        )
    api = api_for(clerk)
    api.get("/api/v1/disclosure/imports/")  # the token and role lookups are cached per user after the first call
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/disclosure/imports/")
    assert response.json()["count"] == 15


def test_bad_rows_copy_has_an_error_column_and_imports_once_corrected(clerk_api, department_a):
    from openpyxl import load_workbook

    rows = [
        penalty_row(1, department_a),
        penalty_row(2, department_a, 处罚决定日期="下周"),
        penalty_row(3, department_a),
    ]
    job_id = upload(clerk_api, build_file(rows)).json()["id"]
    response = clerk_api.get(f"/api/v1/disclosure/imports/{job_id}/error-rows/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    copied = [list(values) for values in sheet.iter_rows(values_only=True)]
    assert copied[0][-1] == "错误说明" and len(copied) == 2
    assert copied[1][copied[0].index("行政处罚决定书文号")] == "津西市监罚〔2024〕2号"
    assert "处罚决定日期" in copied[1][-1]
    copied[1][copied[0].index("处罚决定日期")] = DECISION
    corrected = templates.write_table("xlsx", copied)
    job = job_of(clerk_api, upload(clerk_api, corrected))
    assert (job["imported"], job["failed"]) == (1, 0), job["errors"]
    assert Penalty.objects.count() == 3


def test_import_with_publish_publishes_the_good_rows_and_they_reach_the_public_api(
    clerk_api, api_client, department_a
):
    rows = [penalty_row(1, department_a), penalty_row(2, department_a, 处罚决定日期="下周")]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows), publish="true"))
    assert (job["imported"], job["failed"], job["publish"]) == (1, 1, True)
    assert Penalty.objects.get().status == RecordStatus.PUBLISHED
    public = api_client.get("/api/v1/public/penalties/").json()["results"]
    assert [row["document_number"] for row in public] == ["津西市监罚〔2024〕1号"]


def test_uploaded_files_are_deleted_after_the_keeping_period_and_the_job_stays(clerk_api, clerk, department_a):
    from django.core.files.storage import default_storage
    from django.utils import timezone

    old_id = upload(clerk_api, build_file([penalty_row(1, department_a)])).json()["id"]
    new_id = upload(clerk_api, build_file([penalty_row(2, department_a)])).json()["id"]
    old = ImportJob.objects.get(pk=old_id)
    stored = old.file.name
    ImportJob.objects.filter(pk=old_id).update(finished_at=timezone.now() - datetime.timedelta(days=31))
    assert services.purge_import_files(now=timezone.now(), keep_days=30) == 1
    old.refresh_from_db()
    assert old.file.name == "" and not default_storage.exists(stored)
    assert old.imported == 1 and old.status == ImportStatus.DONE
    assert ImportJob.objects.get(pk=new_id).file.name != ""
    assert clerk_api.get(f"/api/v1/disclosure/imports/{old_id}/error-rows/").status_code == 404
    assert services.purge_import_files(now=timezone.now(), keep_days=30) == 0


def test_purge_job_is_declared_for_beat_and_run_jobs():
    from celery import current_app

    from credit_portal import jobs

    current_app.loader.import_default_modules()
    (job,) = [job for job in jobs.JOBS if job.name == "disclosure-purge-import-files"]
    assert job.task in current_app.tasks


def test_special_case_column_is_read_as_yes_or_no(clerk_api, department_a):
    rows = [penalty_row(1, department_a, 特定严重失信情形="是"), penalty_row(2, department_a, 特定严重失信情形="否")]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows)))
    assert job["imported"] == 2, job["errors"]
    assert dict(Penalty.objects.values_list("document_number", "is_special_case")) == {
        "津西市监罚〔2024〕1号": True,
        "津西市监罚〔2024〕2号": False,
    }


def _tampered(data: bytes, change) -> bytes:
    """The workbook with its sheet's XML changed by ``change`` (bytes → bytes), everything else as it was."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == "xl/worksheets/sheet1.xml" else content)
    return output.getvalue()


# "Billion laughs": nine levels of ten entities each, 10^9 "lol"s once expanded.
ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10))
    + b"]>"
)


def test_an_entity_bomb_in_the_header_is_one_clear_400_not_a_server_error(clerk_api, department_a):
    data = build_file([penalty_row(1, department_a)])
    bomb = _tampered(
        data, lambda xml: ENTITY_BOMB + xml.replace("<t>行政相对人名称</t>".encode(), b"<t>&lol9;</t>", 1)
    )
    response = upload(clerk_api, bomb)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("file", "unreadable") and ".xlsx" in error["message"]
    assert not ImportJob.objects.exists()


def test_a_sheet_that_breaks_after_some_rows_ends_the_job_with_the_row_it_broke_at(clerk_api, department_a):
    rows = [penalty_row(index, department_a) for index in range(1, 5)]
    # As Excel writes it, with its dimension (else openpyxl scans the whole sheet on opening, and the upload is
    # refused at once); rows 1-3, then the XML stops.
    cut = _tampered(
        build_file(rows),
        lambda xml: xml[: xml.index(b'<row r="4"')].replace(b"<sheetViews>", b'<dimension ref="A1:Z5" /><sheetViews>'),
    )
    job = job_of(clerk_api, upload(clerk_api, cut))
    assert job["status"] == "failed" and job["imported"] == 0
    (error,) = job["errors"]
    assert (error["field"], error["code"]) == ("file", "unreadable")
    assert "第 3 行之后的内容无法读取" in error["message"]
    assert not Penalty.objects.filter(department=department_a).exists()


# --- the import's two threads and the collector (services._Turns, services._fewer_collections) ---------------------


def test_each_statement_of_the_filing_thread_lets_the_cleaning_thread_run():
    turns = services._Turns()
    seen = []

    def observe(execute, sql, params, many, context):
        seen.append(turns.filer_is_waiting())
        return execute(sql, params, many, context)

    assert not turns.filer_is_waiting()
    # The first wrapper added is the outermost: ``observe`` runs inside ``turns.database``.
    with connection.execute_wrapper(turns.database), connection.execute_wrapper(observe):
        Penalty.objects.count()
        Penalty.objects.exists()
    assert seen == [True, True]
    assert not turns.filer_is_waiting()  # back to Python: the cleaning thread pauses again


def test_the_filing_thread_waiting_for_the_next_batch_lets_the_cleaning_thread_run():
    turns = services._Turns()

    def clean_next():
        # Runs until the filing thread waits in ``result`` (or fails after 30 s if it never says so).
        deadline = time.monotonic() + 30
        while not turns.filer_is_waiting() and time.monotonic() < deadline:
            time.sleep(0.001)
        return turns.filer_is_waiting()

    with services.ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(clean_next)
        assert turns.result(pending) is True
    assert not turns.filer_is_waiting()


def test_a_pause_the_filing_thread_never_ends_still_ends():
    """A wait the hook does not see (the commit, the staging COPY) costs overlap, never progress."""
    turns = services._Turns()
    done = threading.Event()

    def clean():
        for _row in turns.paced(range(3 * turns.EVERY_ROWS)):
            pass
        turns.pause()
        done.set()

    thread = threading.Thread(target=clean)
    thread.start()
    thread.join(timeout=30)
    assert done.is_set()


def test_paced_rows_are_all_read_in_order():
    turns = services._Turns()
    with turns.filer_waiting():
        assert list(turns.paced(iter(range(25)))) == list(range(25))


def test_rows_cleaned_with_pauses_are_the_rows_cleaned_without(clerk, department_a):
    job = ImportJob(kind="penalty", department=department_a, uploaded_by=clerk)
    rows = [penalty_row(index, department_a) for index in range(1, 24)]
    rows[4]["处罚决定日期"] = "明天"
    rows[17]["行政处罚决定书文号"] = rows[2]["行政处罚决定书文号"]
    header = list(rows[0])
    batch = [(index + 2, tuple(row[name] for name in header)) for index, row in enumerate(rows)]
    mapped = services.readers.map_header("penalty", header)
    pauses = []
    plain = services.clean_batch(job=job, header=mapped, batch=batch, seen_numbers={}, subjects={})
    paused = services.clean_batch(
        job=job, header=mapped, batch=batch, seen_numbers={}, subjects={}, pause=lambda: pauses.append(1)
    )
    assert len(pauses) == -(-len(batch) // services._Turns.EVERY_ROWS)
    assert (paused.rows, paused.numbers, paused.errors) == (plain.rows, plain.numbers, plain.errors)
    assert [(error.row, error.code) for error in paused.errors] == [(6, "invalid_date"), (19, "duplicate_in_file")]


def test_the_collector_runs_less_often_during_an_import_and_as_before_after_it(
    clerk_api, department_a, settings, monkeypatch
):
    settings.DISCLOSURE_IMPORT_BATCH_SIZE = 2
    before = gc.get_threshold()
    during = []
    file_batch = services.file_batch

    def spy(**kwargs):
        during.append(gc.get_threshold())
        return file_batch(**kwargs)

    monkeypatch.setattr(services, "file_batch", spy)
    rows = [penalty_row(index, department_a) for index in range(1, 6)]
    job = job_of(clerk_api, upload(clerk_api, build_file(rows, "csv"), "records.csv"))
    assert (job["imported"], job["failed"]) == (5, 0)
    assert len(during) == 3
    assert all(
        threshold[0] == max(before[0], services.GC_THRESHOLD) and threshold[1:] == before[1:] for threshold in during
    )
    assert gc.get_threshold() == before


def test_overlapping_imports_restore_the_collector_when_the_last_one_ends():
    before = gc.get_threshold()
    first, second = services._fewer_collections(), services._fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] == max(before[0], services.GC_THRESHOLD)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_a_failed_import_restores_the_collector_too():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), services._fewer_collections():
        raise RuntimeError("broken file")
    assert gc.get_threshold() == before
