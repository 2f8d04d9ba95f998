"""Matching: only watched subjects, each watcher once per change, set-based; notifications and digests (issue 12)."""

from __future__ import annotations

import pytest

from django.core import mail

from credit_portal.models import Notification
from credit_portal.watch import services, webhooks
from credit_portal.watch.models import WatchMatch, WebhookDelivery

from .factories import change, code

pytestmark = pytest.mark.django_db


@pytest.fixture
def watchers(clerk, clerk_b, reviewer):
    """clerk watches A and B (A on two of their lists), clerk_b watches B, the reviewer watches nothing."""
    first = services.create_watchlist(owner=clerk, name="清单一")
    second = services.create_watchlist(owner=clerk, name="清单二")
    other = services.create_watchlist(owner=clerk_b, name="清单")
    services.add_code(watchlist=first, by=clerk, code=code(1))
    services.add_code(watchlist=first, by=clerk, code=code(2))
    services.add_code(watchlist=second, by=clerk, code=code(1))
    services.add_code(watchlist=other, by=clerk_b, code=code(2))
    return clerk, clerk_b


def _matches() -> set[tuple[int, int]]:
    return set(WatchMatch.objects.values_list("owner_id", "change_id"))


def test_each_watcher_gets_each_change_of_their_subjects_once_and_nothing_else(watchers, reviewer):
    clerk, clerk_b = watchers
    a, b, unwatched, personal = change(code(1)), change(code(2)), change(code(3)), change("", name="张*明")
    outcome = services.match_changes()
    assert _matches() == {(clerk.pk, a.pk), (clerk.pk, b.pk), (clerk_b.pk, b.pk)}
    assert outcome == {"changes": 4, "matches": 3, "deliveries": 0}
    assert not WatchMatch.objects.filter(change__in=[unwatched, personal]).exists()
    assert not WatchMatch.objects.filter(owner=reviewer).exists()


def test_a_second_run_matches_only_what_is_new(watchers):
    clerk, clerk_b = watchers
    change(code(1))
    services.match_changes()
    assert services.match_changes() == {"changes": 0, "matches": 0, "deliveries": 0}
    later = change(code(2))
    services.match_changes()
    assert set(WatchMatch.objects.filter(change=later).values_list("owner_id", flat=True)) == {clerk.pk, clerk_b.pk}
    assert WatchMatch.objects.count() == 3


def test_small_batches_cover_every_change_once(watchers, settings):
    changes = [change(code(1 + n % 2)) for n in range(7)]
    services.match_changes(batch_size=2)
    assert WatchMatch.objects.count() == sum(2 if c.uscc == code(2) else 1 for c in changes)


def test_matching_is_set_based_the_query_count_does_not_grow(watchers, django_assert_max_num_queries, clerk):
    webhooks.create_endpoint(owner=clerk, url="https://example.com/hooks")
    for n in range(60):
        change(code(1 + n % 2))
    # Cursor, newest id, the match INSERT ... SELECT, the delivery INSERT ... SELECT, counts, notifications.
    with django_assert_max_num_queries(22):  # about 20 whatever the number of changes and lists
        outcome = services.match_changes()
    assert outcome["matches"] == 60 + 30
    assert outcome["deliveries"] == 60
    assert WebhookDelivery.objects.count() == 60


def test_deliveries_go_to_the_owners_active_endpoints_only(watchers):
    clerk, clerk_b = watchers
    active, _secret = webhooks.create_endpoint(owner=clerk, url="https://a.example.com/hook")
    switched_off, _secret = webhooks.create_endpoint(owner=clerk, url="https://b.example.com/hook")
    webhooks.update_endpoint(endpoint=switched_off, by=clerk, is_active=False)
    other, _secret = webhooks.create_endpoint(owner=clerk_b, url="https://c.example.com/hook")
    a = change(code(1))
    services.match_changes()
    assert list(WebhookDelivery.objects.values_list("endpoint_id", "change_id")) == [(active.pk, a.pk)]
    assert not WebhookDelivery.objects.filter(endpoint__in=[switched_off, other]).exists()


def test_each_watcher_is_notified_in_the_portal_with_the_count(watchers):
    clerk, clerk_b = watchers
    change(code(1))
    change(code(2))
    services.match_changes()
    assert Notification.objects.get(user=clerk, kind="watch_changes").message == "您关注的主体有 2 条新的公开变化。"
    assert Notification.objects.get(user=clerk_b, kind="watch_changes").message == "您关注的主体有 1 条新的公开变化。"


def test_the_daily_digest_mails_each_watcher_once_with_their_changes(watchers):
    clerk, clerk_b = watchers
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    change(code(1), name="天津甲科技有限公司")
    change(code(2), name="天津乙商贸有限公司", action="withdrawn")
    services.match_changes()
    assert services.send_digests() == 1  # clerk_b has no address: nothing mailed, matches marked
    [message] = mail.outbox
    assert message.to == ["clerk@example.gov.cn"]
    assert "2 条新变化" in message.subject
    assert "天津甲科技有限公司" in message.body and "撤销" in message.body
    assert not WatchMatch.objects.filter(digested_at__isnull=True).exists()
    assert services.send_digests() == 0
    assert len(mail.outbox) == 1


def test_the_changes_page_lists_only_the_users_matches(client, watchers):
    clerk, clerk_b = watchers
    change(code(1), name="天津甲科技有限公司")
    change(code(2), name="天津乙商贸有限公司")
    services.match_changes()
    client.force_login(clerk_b)
    page = client.get("/staff/watch/changes/").content.decode()
    assert "天津乙商贸有限公司" in page and "天津甲科技有限公司" not in page
