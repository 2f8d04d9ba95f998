"""Name substring search through the PostgreSQL indexes finds what a plain icontains finds (DOMAIN §13; issue 10 §2)."""

from __future__ import annotations

import datetime

import pytest

from django.db import connection

from disclosure import public_search
from registry import search
from registry.models import Subject
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory

NAMES = ["天津华鑫科技有限公司", "华为技术天津分公司", "小米之家西青店", "ABC商贸有限公司", "鑫华建材商行"]


@pytest.fixture
def subjects(db):
    return [SubjectFactory(name=name) for name in NAMES]


@pytest.mark.parametrize(
    "term", ["华", "华鑫", "鑫华", "小米", "abc", "Bc", "华鑫科", "有限公司", "米之家西", "无此名"]
)
def test_name_contains_finds_what_icontains_finds(subjects, term):
    expected = set(Subject.objects.filter(name__icontains=term).values_list("name", flat=True))
    found = set(search.name_contains(Subject.objects.all(), "name", term).values_list("name", flat=True))
    assert found == expected
    assert found == {name for name in NAMES if term.upper() in name.upper()}


def test_public_penalty_search_by_two_characters(db):
    in_period = {"published": True, "publication_end_date": datetime.date(2099, 1, 1)}
    hit = PenaltyFactory(subject_name="天津华鑫科技有限公司", **in_period)
    PenaltyFactory(subject_name="天津鑫华建材商行", **in_period)
    found = public_search.filter_name_or_code(public_search.public_penalties(), "华鑫")
    assert [record.pk for record in found] == [hit.pk]


def test_query_grams_are_the_pairs_or_the_one_character():
    assert search.query_grams("华") == ["华"]
    assert search.query_grams("华鑫") == ["华鑫"]
    assert search.query_grams("ab") == ["AB"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL-only")
def test_short_queries_use_the_gram_expression_and_the_indexes_exist(subjects):
    sql = str(search.name_contains(Subject.objects.all(), "name", "华鑫").query)
    assert f"{search.GRAMS_FUNCTION}(" in sql
    assert search.GRAMS_FUNCTION not in str(search.name_contains(Subject.objects.all(), "name", "华鑫科").query)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%name_%"])
        indexes = dict(cursor.fetchall())
    for table in ("disclosure_penalty", "disclosure_licensing"):
        assert "gin_trgm_ops" in indexes[f"{table}_public_name_trgm"]
        assert "WHERE" in indexes[f"{table}_public_name_trgm"]  # partial: what the public may read
        assert search.GRAMS_FUNCTION in indexes[f"{table}_public_name_grams"]
    assert "gin_trgm_ops" in indexes["registry_subject_name_trgm"]
    assert search.GRAMS_FUNCTION in indexes["registry_subject_name_grams"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL-only")
def test_short_queries_carry_a_cheap_containment_test_beside_the_grams(subjects):
    """The planner may walk the public order for a common gram: the names are then tested by LIKE (or strpos where
    letter case matters) before the expensive gram function, which the trigram index must not answer."""
    chinese = str(search.name_contains(Subject.objects.all(), "name", "华鑫").query)
    assert search.GRAMS_FUNCTION in chinese and '"name"::text LIKE %华鑫%' in chinese and "UPPER(" not in chinese
    latin = str(search.name_contains(Subject.objects.all(), "name", "bc").query)
    assert "STRPOS(UPPER(" in latin and "LIKE" not in latin


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL-only")
def test_public_order_index_and_upper_name_statistics_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%_public_order"])
        indexes = dict(cursor.fetchall())
        cursor.execute(
            "SELECT stxname, stxstattarget FROM pg_statistic_ext WHERE stxname LIKE %s", ["%_name_upper_stats"]
        )
        statistics = dict(cursor.fetchall())
    for table in ("disclosure_penalty", "disclosure_licensing"):
        definition = indexes[f"{table}_public_order"]
        assert "decision_date DESC, id DESC" in definition and "INCLUDE (subject_name" in definition
        assert "'published'" in definition  # partial: what the public may read
        assert statistics[f"{table}_name_upper_stats"] == 1000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL-only")
def test_dashboard_indexes_exist_and_the_gram_function_is_declared_expensive(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["disclosure_%"])
        indexes = dict(cursor.fetchall())
        cursor.execute("SELECT procost FROM pg_proc WHERE proname = %s", [search.GRAMS_FUNCTION])
        (cost,) = cursor.fetchone()
    for table in ("disclosure_penalty", "disclosure_licensing"):
        assert "INCLUDE" in indexes[f"{table}_dashboard_counts"]  # index-only counts for the credit office
        assert "'draft'" in indexes[f"{table}_drafts_due"]
    assert cost >= 1000  # else the planner may evaluate it row by row in a sequential scan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statistics are PostgreSQL's")
def test_a_common_gram_is_asked_in_the_cheap_form_alone_and_finds_the_same_records(db):
    """A gram in more than COMMON_GRAM_SHARE of the names (ANALYZE's statistics) skips the gram function, whose cost
    per name read made capped counts of common names slow; a rare one keeps the gram index. Same records either way."""
    from disclosure.models import Penalty

    in_period = {"published": True, "publication_end_date": datetime.date(2099, 1, 1)}
    for number in range(40):
        PenaltyFactory(subject_name=f"天津{number}号商贸有限公司", **in_period)
    PenaltyFactory(subject_name="鑫华建材商行", **in_period)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disclosure_penalty")
    search.forget_gram_statistics()
    shares = search.gram_shares(Penalty.objects.all())
    assert shares["有限"] > search.COMMON_GRAM_SHARE > shares.get("建材", 0.0)
    for term, common in (("有限", True), ("天", True), ("建材", False), ("华", False)):
        found = search.name_contains(Penalty.objects.all(), "subject_name", term)
        assert (search.GRAMS_FUNCTION not in str(found.query)) is common, term
        expected = set(Penalty.objects.filter(subject_name__icontains=term).values_list("pk", flat=True))
        assert set(found.values_list("pk", flat=True)) == expected and expected, term
