"""Public search by code alone (issue 10 (a)): SQL compiled once a day, the same answer as the filter set's path.

The general path is asked by adding a parameter the fast path does not take (``page_size=20``, the default size):
both must answer the same body for the same records.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from credit_portal import prepared
from disclosure import public_search
from disclosure.choices import LicenceState, RecordStatus
from disclosure.models import Penalty
from tests.registry.factories import SubjectFactory

from .test_public_api import TODAY, make_licensing, make_penalty, natural_person_penalty

pytestmark = pytest.mark.django_db

URLS = {"penalty": "/api/v1/public/penalties/", "licensing": "/api/v1/public/licensings/"}


@pytest.fixture
def compiled(monkeypatch):
    """How many statements the ORM compiles (observed, not replaced)."""
    calls = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        calls.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return calls


def both(api_client, kind: str, query: str):
    fast = api_client.get(f"{URLS[kind]}?{query}", REMOTE_ADDR="10.1.0.1")
    general = api_client.get(f"{URLS[kind]}?{query}&page_size=20", REMOTE_ADDR="10.1.0.2")
    assert fast.status_code == general.status_code == 200
    return fast.json(), general.json()


def test_a_code_search_answers_as_the_filter_set_does_for_every_kind_of_record(api_client, department_a, department_b):
    company = SubjectFactory(name="天津码查科技有限公司")
    make_penalty(department_a, company, fine_amount=Decimal("12.345678"), penalty_categories=["fine", "warning"])
    make_penalty(department_b, company, is_under_objection=True, fine_amount=None, confiscated_amount=Decimal("3"))
    make_penalty(department_a, company, status=RecordStatus.DRAFT, published_at=None)  # not public
    make_penalty(department_a, company, publication_end_date=TODAY - datetime.timedelta(days=1))  # period over
    make_penalty(department_a, company, severity="serious", publication_end_date=None, decision_date=TODAY)
    make_licensing(department_a, company)
    make_licensing(department_a, company, current_state=LicenceState.INVALID)  # not shown
    natural_person_penalty(department_a, "110101199003074477")

    for kind, query in [
        ("penalty", f"q={company.uscc}"),
        ("penalty", f"uscc={company.uscc}"),
        ("penalty", f"q={company.uscc.lower()}"),  # codes are matched normalised
        ("penalty", f"q=%20{company.uscc[:6]}-{company.uscc[6:]}%20&page=1"),
        ("licensing", f"q={company.uscc}"),
        ("penalty", f"q={SubjectFactory.build().uscc}"),  # nothing
    ]:
        fast, general = both(api_client, kind, query)
        assert fast == general, query
    fast, _general = both(api_client, "penalty", f"q={company.uscc}")
    assert fast["count"] == 3 and fast["count_capped"] is False
    assert [row["decision_date"] for row in fast["results"]] == sorted(
        (row["decision_date"] for row in fast["results"]), reverse=True
    )
    objection = next(row for row in fast["results"] if row["is_under_objection"])
    assert objection["notice"] == str(public_search.OBJECTION_NOTE) and objection["fine_amount"] is None
    assert objection["department"] == department_b.name  # the joined department, not another query's


def test_a_code_search_is_compiled_once_a_day_and_sends_one_statement(
    api_client, department_a, compiled, django_assert_num_queries
):
    first, second = SubjectFactory(), SubjectFactory()
    make_penalty(department_a, first)
    make_penalty(department_a, second)
    api_client.get(f"{URLS['penalty']}?q={first.uscc}")  # the day's statement, compiled once
    compiled.clear()
    with django_assert_num_queries(1):
        body = api_client.get(f"{URLS['penalty']}?q={second.uscc}").json()
    assert [row["uscc"] for row in body["results"]] == [second.uscc]
    assert Penalty not in compiled  # the department list of the filter form is not asked either
    # Anything but a code alone takes the general path, which compiles its statement.
    api_client.get(f"{URLS['penalty']}?q={second.uscc}&severity=serious")
    assert Penalty in compiled


def test_the_compiled_search_follows_the_day(api_client, department_a, monkeypatch):
    company = SubjectFactory()
    ending_today = make_penalty(department_a, company, publication_end_date=TODAY)
    later = make_penalty(department_a, company, publication_end_date=TODAY + datetime.timedelta(days=5))

    def ids():
        return [row["id"] for row in api_client.get(f"{URLS['penalty']}?q={company.uscc}").json()["results"]]

    assert sorted(ids()) == sorted([ending_today.pk, later.pk])
    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert ids() == [later.pk]
    # Yesterday's statements are dropped when the day's are compiled.
    days = {key[2] for key in prepared._per_thread.queries if key[0] == "public_search.code"}
    assert days == {tomorrow}


def test_a_full_first_page_is_counted_and_paged_by_the_general_path(api_client, department_a, settings):
    company = SubjectFactory()
    for day in range(21):
        make_penalty(department_a, company, decision_date=TODAY - datetime.timedelta(days=day + 1))
    body = api_client.get(f"{URLS['penalty']}?q={company.uscc}").json()
    assert body["count"] == 21 and len(body["results"]) == 20 and body["next"]
    second = api_client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["previous"]
    # A count cap below the page's rows: the general path says it is capped.
    settings.PUBLIC_SEARCH_COUNT_LIMIT = 5
    other = SubjectFactory()
    for day in range(6):
        make_penalty(department_a, other, decision_date=TODAY - datetime.timedelta(days=day + 1))
    capped = api_client.get(f"{URLS['penalty']}?q={other.uscc}").json()
    assert capped["count"] == 5 and capped["count_capped"] is True and len(capped["results"]) == 5


@pytest.mark.parametrize(
    "query",
    [
        "q=天津码查",  # a name
        "q=&uscc=",  # empty values
        "page=2",  # no code
        "q={code}&uscc={code}",  # two filters
        "q={code}&page=2",
        "q={code}&page_size=5",
        "q={code}&department=1",
        "q={code}&ordering=id",
        "q={short}",  # not code-shaped: a name search
    ],
)
def test_anything_but_one_code_on_the_first_page_is_not_the_fast_path(department_a, query):
    from django.http import QueryDict

    company = SubjectFactory(name="天津码查科技有限公司")
    make_penalty(department_a, company)
    params = QueryDict(query.format(code=company.uscc, short=company.uscc[:17]))
    assert public_search.code_search_first_page(Penalty, params, page_size=20, cap=1000) is None
    assert public_search.code_search_first_page(Penalty, QueryDict(f"q={company.uscc}"), page_size=20, cap=1000)


def test_the_public_columns_only_are_read(department_a):
    """A natural person's record by code: no ID-number column is selected, the name is masked in the answer."""
    from django.http import QueryDict

    person_penalty = natural_person_penalty(department_a, "110101199003074477")
    person_penalty.uscc = "91120116MA05LJ2Y5B"
    person_penalty.save(update_fields=["uscc"])
    records = public_search.code_search_first_page(Penalty, QueryDict("q=91120116MA05LJ2Y5B"), page_size=20, cap=1000)
    assert [record.pk for record in records] == [person_penalty.pk]
    deferred = records[0].get_deferred_fields()
    assert {"id_number_encrypted", "id_number_masked", "violation_facts"} <= deferred
    assert records[0].public_subject_name != "张三明"
