"""Credit checks (DOMAIN §7): answers per subject in order, set-based, recorded; feedback and statistics."""

from __future__ import annotations

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanctions import selectors, services
from sanctions.choices import EntryStatus
from sanctions.models import CreditCheck, CreditCheckItem, MeasureFeedback
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory, make_uscc

from .factories import ListEntryFactory, list_type, measure

pytestmark = pytest.mark.django_db

URL = "/api/v1/sanctions/credit-checks/"
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def listed(department_b):
    """A subject on the market-regulation serious list, with a penalty in publication."""
    entry = ListEntryFactory(department=department_b, list_type=list_type("samr_serious"))
    PenaltyFactory(subject=entry.subject, published=True, publication_end_date=datetime.date(2099, 1, 1))
    return entry


def test_single_subject_answer_lists_hits_penalties_and_the_measures_for_the_matter(api_for, clerk, listed):
    response = api_for(clerk).post(URL, {"matter": "government_procurement", "subjects": [listed.subject.uscc]})
    assert response.status_code == 201, response.content
    (result,) = response.json()["results"]
    assert result["found"] is True
    assert [hit["list_type"] for hit in result["list_hits"]] == ["samr_serious"]
    assert result["list_hits"][0]["color"] == "black"
    assert result["penalties"]["count"] == 1
    codes = {m["code"] for m in result["measures"]}
    assert "C1-01" in codes  # 依法限制参加政府采购活动, triggered by this list for procurement
    assert "C1-13" not in codes  # 评优评先 is a different matter
    check = CreditCheck.objects.get(pk=response.json()["id"])
    assert (check.by, check.department, check.matter, check.subject_count) == (
        clerk,
        clerk.department,
        "government_procurement",
        1,
    )


def test_matter_may_be_given_by_its_chinese_label(api_for, clerk, listed):
    response = api_for(clerk).post(URL, {"matter": "评优评先", "subjects": [listed.subject.uscc]}, format="json")
    assert response.status_code == 201
    assert response.json()["matter"] == {"code": "awards", "label": "评优评先"}
    assert "C1-13" in {m["code"] for m in response.json()["results"][0]["measures"]}


def test_unknown_matter_is_a_field_error(api_for, clerk):
    response = api_for(clerk).post(URL, {"matter": "买菜", "subjects": [make_uscc(seed=1)]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "matter"
    assert response.json()["errors"][0]["code"] == "unknown_matter"


def test_measures_are_selected_by_department(clerk, clerk_b, listed):
    procurement = measure("C1-01")
    procurement.departments.set([clerk_b.department])  # only department B applies it in this district
    results_a = selectors.check_results(
        department=clerk.department, matter="government_procurement", codes=[listed.subject.uscc]
    )
    results_b = selectors.check_results(
        department=clerk_b.department, matter="government_procurement", codes=[listed.subject.uscc]
    )
    assert "C1-01" not in {m["code"] for m in results_a[0]["measures"]}
    assert "C1-01" in {m["code"] for m in results_b[0]["measures"]}


def test_measures_follow_the_list_type_that_triggers_them(clerk):
    wage = ListEntryFactory(list_type=list_type("wage_arrears"))
    red = ListEntryFactory(list_type=list_type("tax_a"))
    results = selectors.check_results(
        department=clerk.department, matter="bidding", codes=[wage.subject.uscc, red.subject.uscc]
    )
    assert "C1-25" in {m["code"] for m in results[0]["measures"]}  # 建筑市场 measure of the wage list
    assert "C1-25" not in {m["code"] for m in results[1]["measures"]}
    assert {m["kind"] for m in results[1]["measures"]} == {"reward"}


def test_expired_and_unpublished_entries_are_not_hits(clerk):
    expired = ListEntryFactory(valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2023, 1, 1))
    proposed = ListEntryFactory(status=EntryStatus.PROPOSED, valid_from=None, valid_to=None, published_at=None)
    results = selectors.check_results(
        department=clerk.department, matter="other", codes=[expired.subject.uscc, proposed.subject.uscc]
    )
    assert [r["list_hits"] for r in results] == [[], []]


def test_batch_keeps_the_order_and_reports_unknown_and_invalid_codes_per_line(api_for, clerk, listed):
    clean = SubjectFactory()
    unknown = make_uscc(seed=987654)
    bad_check = listed.subject.uscc[:17] + ("0" if listed.subject.uscc[17] != "0" else "1")
    codes = [clean.uscc, "ABC", listed.subject.uscc, unknown, bad_check, clean.uscc.lower()]
    response = api_for(clerk).post(URL, {"matter": "政府采购", "subjects": codes}, format="json")
    assert response.status_code == 201
    results = response.json()["results"]
    assert [r["query"] for r in results] == codes
    assert [r["status"] for r in results] == ["found", "invalid", "found", "unknown", "invalid", "found"]
    assert results[1]["errors"][0]["code"] == "invalid_code"
    assert results[3]["errors"][0]["code"] == "unknown_subject"
    assert [r["has_hits"] for r in results] == [False, False, True, False, False, False]
    check = CreditCheck.objects.get(pk=response.json()["id"])
    assert (check.subject_count, check.hit_count, check.invalid_count, check.unknown_count) == (6, 1, 2, 1)
    assert list(check.items.values_list("position", "status")) == [
        (0, "found"),
        (1, "invalid"),
        (2, "found"),
        (3, "unknown"),
        (4, "invalid"),
        (5, "found"),
    ]


def _check_queries(clerk, codes) -> tuple[int, int]:
    """(queries other than the item INSERTs or COPYs, item INSERT/COPY batches) of one check."""
    with CaptureQueriesContext(connection) as captured:
        services.run_credit_check(by=clerk, matter="government_procurement", codes=codes, today=TODAY)
    table = CreditCheckItem._meta.db_table
    inserts = [q for q in captured.captured_queries if q["sql"].startswith(("INSERT", "COPY")) and table in q["sql"]]
    return len(captured.captured_queries) - len(inserts), len(inserts)


def test_batch_of_500_takes_as_many_queries_as_a_batch_of_5(clerk, django_assert_max_num_queries):
    subjects = SubjectFactory.create_batch(40)
    for subject in subjects[:20]:
        ListEntryFactory(subject=subject, department=clerk.department)
    codes = [subject.uscc for subject in subjects] * 12 + [make_uscc(seed=n) for n in range(20)]
    codes = codes[:500]
    _check_queries(clerk, codes[:1])  # warm-up: the user's role is read once and cached on the user
    small, _inserts = _check_queries(clerk, codes[:5])
    large, inserts = _check_queries(clerk, codes)
    assert large == small  # one query per table whatever the batch size
    # Only the INSERT of the recorded items is split, and only where the database caps parameters (SQLite).
    batch = connection.ops.bulk_batch_size(
        [f for f in CreditCheckItem._meta.concrete_fields if not f.primary_key], codes
    )
    assert inserts == -(-500 // min(batch, 10_000))
    with django_assert_max_num_queries(small + inserts):
        services.run_credit_check(by=clerk, matter="government_procurement", codes=codes, today=TODAY)


def test_batch_limit_is_a_setting(api_for, clerk, settings):
    settings.CREDIT_CHECK_MAX_SUBJECTS = 3
    response = api_for(clerk).post(
        URL, {"matter": "other", "subjects": [make_uscc(seed=n) for n in range(4)]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_subjects"


def test_only_clerks_run_checks(api_for, reviewer, api_client):
    assert api_for(reviewer).post(URL, {"matter": "other", "subjects": ["x"]}, format="json").status_code == 403
    assert api_client.post(URL, {"matter": "other", "subjects": ["x"]}, format="json").status_code in (401, 403)


# --- Feedback --------------------------------------------------------------------------------------------------


@pytest.fixture
def check_with_hit(api_for, clerk, listed):
    response = api_for(clerk).post(
        URL, {"matter": "government_procurement", "subjects": [listed.subject.uscc]}, format="json"
    )
    body = response.json()
    return body["id"], body["results"][0]["item_id"], body["results"][0]["measures"][0]["id"]


def test_feedback_records_applied_and_not_applied_with_reason(api_for, clerk, check_with_hit):
    check_id, item_id, measure_id = check_with_hit
    response = api_for(clerk).post(
        f"{URL}{check_id}/feedback/",
        {"items": [{"item": item_id, "measure": measure_id, "outcome": "未实施", "reason": "项目已于核查前签约"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    row = MeasureFeedback.objects.get()
    assert (row.outcome, row.reason, row.by) == ("not_applied", "项目已于核查前签约", clerk)
    assert row.list_type.code == "samr_serious"
    # A second answer for the same measure corrects the first instead of duplicating it.
    api_for(clerk).post(
        f"{URL}{check_id}/feedback/",
        {"items": [{"item": item_id, "measure": measure_id, "outcome": "applied"}]},
        format="json",
    )
    assert list(MeasureFeedback.objects.values_list("outcome", flat=True)) == ["applied"]


def test_feedback_not_applied_requires_a_reason(api_for, clerk, check_with_hit):
    check_id, item_id, measure_id = check_with_hit
    response = api_for(clerk).post(
        f"{URL}{check_id}/feedback/",
        {"items": [{"item": item_id, "measure": measure_id, "outcome": "not_applied", "reason": " "}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "items[0].reason",
        "code": "reason_required",
        "message": "未实施的措施必须说明原因。",
    }
    assert not MeasureFeedback.objects.exists()


def test_feedback_only_for_measures_of_the_result(api_for, clerk, check_with_hit):
    check_id, item_id, _measure_id = check_with_hit
    response = api_for(clerk).post(
        f"{URL}{check_id}/feedback/",
        {"items": [{"item": item_id, "measure": measure("R-01").pk, "outcome": "applied"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "measure_not_in_result"


def test_a_clerk_records_feedback_only_for_their_own_departments_checks(api_for, clerk_b, check_with_hit):
    check_id, item_id, measure_id = check_with_hit
    response = api_for(clerk_b).post(
        f"{URL}{check_id}/feedback/",
        {"items": [{"item": item_id, "measure": measure_id, "outcome": "applied"}]},
        format="json",
    )
    assert response.status_code == 404
    assert api_for(clerk_b).get(f"{URL}{check_id}/").status_code == 404


def test_statistics_count_feedback_by_department_measure_and_list_type(api_for, clerk, reviewer, check_with_hit):
    check_id, item_id, measure_id = check_with_hit
    api_for(clerk).post(
        f"{URL}{check_id}/feedback/",
        {"items": [{"item": item_id, "measure": measure_id, "outcome": "applied"}]},
        format="json",
    )
    assert api_for(clerk).get(f"{URL}statistics/").status_code == 403
    body = api_for(reviewer).get(f"{URL}statistics/").json()
    assert body["departments"] == [
        {"id": clerk.department_id, "name": clerk.department.name, "applied": 1, "not_applied": 0, "total": 1}
    ]
    assert body["measures"][0]["id"] == measure_id
    assert body["list_types"][0]["name"] == "市场监督管理严重违法失信名单"


def test_check_history_is_scoped_and_its_query_count_is_flat(api_for, clerk, clerk_b, django_assert_max_num_queries):
    for _n in range(5):
        services.run_credit_check(by=clerk, matter="other", codes=[make_uscc(seed=1)])
    services.run_credit_check(by=clerk_b, matter="other", codes=[make_uscc(seed=2)])
    client = api_for(clerk)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.json()["count"] == 5


def test_items_keep_each_query_and_snapshot_exactly_as_given(clerk):
    """The items are written as COPY text on PostgreSQL: tabs, backslashes, quotes and CJK must survive."""
    subject = SubjectFactory(name='天津\\"鑫瑞\t科技有限公司')
    ListEntryFactory(subject=subject, department=clerk.department)
    odd = 'a\\b\tc\nd"e'
    check, results = services.run_credit_check(
        by=clerk, matter="government_procurement", codes=[subject.uscc, odd], today=TODAY
    )
    items = list(CreditCheckItem.objects.filter(check_record=check).order_by("position"))
    assert [item.pk for item in items] == [result["item_id"] for result in results]
    assert [item.query for item in items] == [subject.uscc, odd]
    assert items[0].subject_id == subject.pk and items[0].has_hits
    assert items[0].result == selectors.snapshot(results[0])
    assert items[0].result["subject_name"] == subject.name
    assert items[1].subject_id is None and items[1].result == selectors.snapshot(results[1])
