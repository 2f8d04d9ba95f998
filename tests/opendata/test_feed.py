"""Public change feed: ordered by a stable id, paged by cursor without gaps or duplicates, nothing personal."""

from __future__ import annotations

import base64
import datetime
import json

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credit_portal.exchange import outbox
from credit_portal.opendata import services
from credit_portal.opendata.choices import ChangeAction
from credit_portal.opendata.models import ChangeEvent
from credit_portal.opendata.selectors import encode_cursor
from disclosure import services as disclosure_services
from disclosure.choices import InfoScope, RecordStatus
from registry.choices import SubjectCategory
from repair.choices import ApplicationKind
from tests.registry.factories import NaturalPersonFactory, make_resident_id
from tests.repair.factories import file as file_application

from .factories import published_entry, published_licensing, published_penalty

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/changes/"


def _page(api_client, since=None, limit=3):
    params = {"limit": limit}
    if since is not None:
        params["since"] = since
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_feed_pages_in_order_without_gaps_or_duplicates_while_changes_arrive(api_client):
    for _ in range(4):
        published_penalty()
    services.sync_changes()
    seen, cursor, arrivals = [], None, 0
    while True:
        page = _page(api_client, cursor)
        seen += [row["id"] for row in page["results"]]
        cursor = page["next"]
        if arrivals < 3:  # new changes arrive between page reads
            published_licensing()
            published_entry()
            services.sync_changes()
            arrivals += 1
        if not page["has_more"] and arrivals >= 3:
            tail = _page(api_client, cursor, limit=100)
            seen += [row["id"] for row in tail["results"]]
            break
    expected = list(ChangeEvent.objects.order_by("pk").values_list("pk", flat=True))
    assert len(expected) == 4 + 3 * 2
    assert seen == expected  # every change once, in order


def test_polling_with_the_last_cursor_returns_nothing_until_a_new_change(api_client):
    published_penalty()
    services.sync_changes()
    first = _page(api_client, limit=100)
    again = _page(api_client, first["next"])
    assert again["results"] == [] and again["next"] == first["next"]
    published_penalty()
    services.sync_changes()
    assert len(_page(api_client, first["next"])["results"]) == 1


def test_sync_is_idempotent_and_keeps_ids_stable(api_client):
    published_penalty()
    published_entry()
    assert services.sync_changes() == 2
    ids = list(ChangeEvent.objects.values_list("pk", flat=True))
    assert services.sync_changes() == 0
    # Even a re-read of already synced outbox rows (state lost) adds nothing: the source id is unique.
    from credit_portal.opendata.models import FeedSyncState

    FeedSyncState.objects.update(last_event_id=0)
    services.sync_changes()
    assert list(ChangeEvent.objects.values_list("pk", flat=True)) == ids


def test_record_history_is_kept_as_dated_actions(clerk, department_a):
    penalty = published_penalty(department=department_a, document_number="津罚〔2026〕9号")
    disclosure_services.correct_penalty(penalty=penalty, by=clerk, changes={"content": "罚款人民币三万元整。"})
    disclosure_services.withdraw_penalty(penalty=penalty, by=clerk, reason="决定被撤销", document="津撤〔2026〕1号")
    services.sync_changes()
    actions = list(ChangeEvent.objects.filter(object_id=penalty.pk).order_by("pk").values_list("action", flat=True))
    assert actions == [ChangeAction.PUBLISHED, ChangeAction.CORRECTED, ChangeAction.WITHDRAWN]


def test_list_entry_listing_and_expiry_are_named(administrator):
    entry = published_entry()
    entry.status, entry.removal_reason = "removed", "expired"
    entry.save(update_fields=["status", "removal_reason"])
    outbox.enqueue(entry, action=outbox.Action.WITHDRAW)
    services.sync_changes()
    actions = list(ChangeEvent.objects.filter(object_id=entry.pk).order_by("pk").values_list("action", flat=True))
    assert actions == [ChangeAction.LISTED, ChangeAction.EXPIRED]


def test_internal_and_draft_records_never_reach_the_feed():
    published_penalty(info_scope=InfoScope.INTERNAL)
    published_penalty(status=RecordStatus.DRAFT, published_at=None)
    assert services.sync_changes() == 0
    assert not ChangeEvent.objects.exists()


def test_feed_never_shows_an_id_number_or_a_natural_persons_full_name(api_client):
    id_number = make_resident_id(seed=99)
    person = NaturalPersonFactory(name="李四光", id_number=id_number)
    penalty = published_penalty(
        subject=person,
        subject_name="李四光",
        subject_category=SubjectCategory.NATURAL_PERSON,
        uscc="",
        legal_representative="",
    )
    penalty.set_id_number(id_number)
    penalty.set_legal_representative_id_number(id_number)
    penalty.save()
    outbox.enqueue(penalty, action=outbox.Action.UPSERT)  # a correction carrying the ID columns set
    published_entry(subject=person)
    # An objection names the record, never its applicant (name, phone, e-mail, statement) or the person's ID.
    file_application(penalty, kind=ApplicationKind.OBJECTION, id_number=id_number, contact_name="王联系")
    services.sync_changes()
    body = json.dumps(_page(api_client, limit=100), ensure_ascii=False)
    assert ChangeEvent.objects.count() == 4
    assert ChangeEvent.objects.filter(action=ChangeAction.OBJECTION_OPENED, object_id=penalty.pk).exists()
    assert id_number not in body
    assert "李四光" not in body
    assert "李*光" in body
    for applicant in ("王联系", "13800138000", "applicant@example.com", "罚款已于2025年6月缴清"):
        assert applicant not in body


def test_bad_cursor_and_limit_are_400_with_the_error_shape(api_client):
    response = api_client.get(URL, {"since": "not-a-cursor!"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_cursor"
    response = api_client.get(URL, {"limit": "5000"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"


def test_feed_query_count_does_not_grow_with_the_page(api_client, django_assert_max_num_queries):
    for _ in range(3):
        published_penalty()
        published_entry()
    services.sync_changes()
    with CaptureQueriesContext(connection) as small:
        _page(api_client, limit=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = _page(api_client, encode_cursor(0), limit=100)
    assert len(page["results"]) == 6


def test_sync_waits_for_outbox_events_younger_than_the_commit_lag(settings):
    settings.OPENDATA_SYNC_LAG_SECONDS = 60
    published_penalty()
    assert services.sync_changes() == 0  # a lower-id event of a slower transaction may still be uncommitted
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert services.sync_changes(now=later) == 1


def test_forged_huge_cursor_is_refused(api_client):
    huge = base64.urlsafe_b64encode(b"ce1:" + b"9" * 40).decode()
    response = api_client.get(URL, {"since": huge})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_cursor"


def test_expiry_and_repair_jobs_appear_as_their_own_actions():
    lapsing = published_penalty(publication_end_date=timezone.localdate() - datetime.timedelta(days=1))
    repaired = published_penalty()
    disclosure_services.expire_records(today=timezone.localdate())
    disclosure_services.stop_by_repair(penalty=repaired, by=None)
    services.sync_changes()
    last = dict(ChangeEvent.objects.order_by("pk").values_list("object_id", "action"))
    assert last[lapsing.pk] == ChangeAction.EXPIRED
    assert last[repaired.pk] == ChangeAction.REPAIRED
    # history is never rewritten: the publication stays in the feed before the expiry
    assert ChangeEvent.objects.filter(object_id=lapsing.pk, action=ChangeAction.PUBLISHED).exists()
