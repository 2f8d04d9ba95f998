"""credit_portal.prepared: a queryset compiled once returns what the queryset itself returns, for any values."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from django.db.models import F

from credit_portal.prepared import PreparedQuery, prepared, retire
from disclosure.models import Penalty
from tests.disclosure.test_public_api import TODAY, make_penalty
from tests.registry.factories import SubjectFactory

pytestmark = pytest.mark.django_db

MARKER = "\x00marker\x00"


def state(instance) -> dict:
    """Every loaded value of a record and of its cached department, and what is deferred."""
    values = {name: value for name, value in instance.__dict__.items() if not name.startswith("_")}
    department = instance._state.fields_cache.get("department")
    return {
        "values": values,
        "deferred": instance.get_deferred_fields(),
        "department": None if department is None else {k: v for k, v in department.__dict__.items() if k[0] != "_"},
        "adding": instance._state.adding,
        "db": instance._state.db,
    }


def test_a_prepared_query_returns_what_its_queryset_returns(department_a, department_b):
    first, second = SubjectFactory(), SubjectFactory()
    make_penalty(department_a, first, fine_amount=Decimal("0.000001"), penalty_categories=["fine", "warning"])
    make_penalty(department_b, first, fine_amount=None, decision_date=TODAY - datetime.timedelta(days=3))
    make_penalty(department_a, second, publication_end_date=None)

    def queryset(code):
        return (
            Penalty.objects.filter(uscc=code, decision_date__lte=TODAY)
            .select_related("department")
            .only(
                "id", "uscc", "fine_amount", "penalty_categories", "decision_date", "published_at", "department__name"
            )
            .annotate(doubled=F("id") * 2)
            .order_by("-decision_date", "-pk")
        )

    query = PreparedQuery(queryset(MARKER), {"code": MARKER})
    for code in (first.uscc, second.uscc, "NOSUCHCODE"):
        got, expected = query.run(code=code), list(queryset(code))
        assert [state(record) for record in got] == [state(record) for record in expected]
        assert all(record.doubled == record.pk * 2 for record in got)
    assert len(query.run(code=first.uscc)) == 2
    assert [record.fine_amount for record in query.run(code=first.uscc)] == [None, Decimal("0.000001")]


def test_markers_must_reach_the_statement_as_given_and_values_must_match_them(department_a):
    # icontains wraps the value in % and escapes it: it cannot be substituted.
    with pytest.raises(ValueError, match="marker 'name'"):
        PreparedQuery(Penalty.objects.filter(subject_name__icontains=MARKER), {"name": MARKER})
    with pytest.raises(ValueError, match="model instances"):
        PreparedQuery(Penalty.objects.filter(uscc=MARKER).values("id"), {"code": MARKER})
    query = PreparedQuery(Penalty.objects.filter(uscc=MARKER), {"code": MARKER})
    with pytest.raises(TypeError):
        query.run()
    with pytest.raises(TypeError):
        query.run(code="X", other="Y")


def test_prepared_queries_are_kept_per_key_and_retired_on_request():
    built = []

    def build():
        built.append(1)
        return Penalty.objects.filter(uscc=MARKER), {"code": MARKER}

    one = prepared(("test", 1), build)
    assert prepared(("test", 1), build) is one and len(built) == 1
    assert prepared(("test", 2), build) is not one and len(built) == 2
    retire(lambda key: key != ("test", 1))
    prepared(("test", 1), build)
    prepared(("test", 2), build)
    assert len(built) == 3
