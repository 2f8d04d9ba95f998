"""Objection and grade-change events of the feed reach the watchers of their subject (issue 12)."""

from __future__ import annotations

import datetime

import pytest

from django.utils import timezone, translation

from credit_portal.opendata import services as opendata_services
from credit_portal.opendata.choices import ChangeAction
from credit_portal.watch import services
from credit_portal.watch.models import WatchMatch
from disclosure.choices import Severity
from repair.choices import ApplicationKind
from sanctions.evaluation import services as evaluation_services
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory
from tests.repair.factories import file, removable_entry, repairable_penalty

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_commit_lag(settings):
    settings.OPENDATA_SYNC_LAG_SECONDS = 0


def test_a_watcher_is_matched_to_objections_and_grade_changes_of_their_subject(clerk, clerk_b):
    today = timezone.localdate()
    company, other = SubjectFactory.create_batch(2)
    mine = services.create_watchlist(owner=clerk, name="重点企业")
    services.add_code(watchlist=mine, by=clerk, code=company.uscc)
    evaluation_services.recompute_grades(today=today)
    PenaltyFactory(
        subject=company,
        published=True,
        severity=Severity.SERIOUS,
        publication_end_date=today + datetime.timedelta(days=365),
    )
    evaluation_services.recompute_grades(today=today)
    file(repairable_penalty(subject=company), kind=ApplicationKind.OBJECTION)
    file(removable_entry(subject=company), kind=ApplicationKind.OBJECTION)
    file(repairable_penalty(subject=other), kind=ApplicationKind.OBJECTION)  # nobody watches it
    assert opendata_services.sync_changes() == 4
    services.match_changes()
    matched = WatchMatch.objects.select_related("change").order_by("change_id")
    assert {match.owner_id for match in matched} == {clerk.pk}
    assert sorted((m.change.kind, m.change.action) for m in matched) == [
        ("grade", ChangeAction.GRADE_CHANGED),
        ("list_entry", ChangeAction.OBJECTION_OPENED),
        ("penalty", ChangeAction.OBJECTION_OPENED),
    ]
    grade = next(match.change for match in matched if match.change.kind == "grade")
    assert "A → C" in services.describe(grade)
    assert f"：{company.name}（{company.uscc}）A → C" in services.describe(grade)
    with translation.override("en"):
        english = services.describe(grade)
    assert f": {company.name} ({company.uscc}) A → C" in english
    assert not set("：（）") & set(english)
