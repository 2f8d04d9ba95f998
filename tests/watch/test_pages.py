"""The staff pages: creating lists and endpoints, the secret shown once, actions on an endpoint (issue 12)."""

from __future__ import annotations

import datetime
import re

import pytest

from django.test import Client
from django.utils import timezone

from credit_portal.watch import services, webhooks
from credit_portal.watch.models import WatchedSubject, Watchlist, WebhookDelivery, WebhookEndpoint

from .factories import change, code

pytestmark = pytest.mark.django_db


def test_a_clerk_creates_a_list_and_adds_a_code_on_the_pages(client, clerk):
    client.force_login(clerk)
    assert "关注清单" in client.get("/staff/watch/").content.decode()
    response = client.post("/staff/watch/", {"name": "重点企业"})
    watchlist = Watchlist.objects.get(owner=clerk)
    assert response.status_code == 302 and response["Location"] == f"/staff/watch/lists/{watchlist.pk}/"
    assert "同名" in client.post("/staff/watch/", {"name": "重点企业"}).content.decode()
    client.post(f"/staff/watch/lists/{watchlist.pk}/add/", {"uscc": code(1)})
    wrong = code(2)[:17] + ("1" if code(2)[17] != "1" else "2")
    page = client.post(f"/staff/watch/lists/{watchlist.pk}/add/", {"uscc": wrong}).content.decode()
    assert "第18位校验码应为" in page
    assert code(1) in client.get(f"/staff/watch/lists/{watchlist.pk}/").content.decode()
    client.post(f"/staff/watch/lists/{watchlist.pk}/remove/", {"uscc": [code(1)]})
    assert not watchlist.subjects.exists()


def test_the_secret_is_shown_once_and_a_rotation_shows_the_new_one(client, clerk):
    client.force_login(clerk)
    page = client.post("/staff/watch/webhooks/", {"url": "https://bank.example.com/hook"}, follow=True)
    endpoint = WebhookEndpoint.objects.get(owner=clerk)
    secret = webhooks.secret_of(endpoint)
    assert secret in page.content.decode() and page["Cache-Control"] == "no-store"
    assert secret not in client.get(f"/staff/watch/webhooks/{endpoint.pk}/").content.decode()
    page = client.post(f"/staff/watch/webhooks/{endpoint.pk}/rotate-secret/", follow=True).content.decode()
    endpoint.refresh_from_db()
    assert webhooks.secret_of(endpoint) != secret and webhooks.secret_of(endpoint) in page


def test_registering_and_rotating_answer_with_a_redirect_so_a_reload_repeats_neither(client, clerk):
    """Post/Redirect/Get: reloading the page that shows the secret neither registers again nor rotates again."""
    client.force_login(clerk)
    response = client.post("/staff/watch/webhooks/", {"url": "https://bank.example.com/hook"})
    endpoint = WebhookEndpoint.objects.get(owner=clerk)
    assert (response.status_code, response["Location"]) == (302, f"/staff/watch/webhooks/{endpoint.pk}/")
    assert webhooks.secret_of(endpoint) not in client.session[f"watch-new-secret-{endpoint.pk}"]  # encrypted
    assert webhooks.secret_of(endpoint) in client.get(response["Location"]).content.decode()
    response = client.post(f"/staff/watch/webhooks/{endpoint.pk}/rotate-secret/")
    assert (response.status_code, response["Location"]) == (302, f"/staff/watch/webhooks/{endpoint.pk}/")
    endpoint.refresh_from_db()
    rotated = webhooks.secret_of(endpoint)
    assert rotated in client.get(response["Location"]).content.decode()
    assert rotated not in client.get(response["Location"]).content.decode()  # the reload
    endpoint.refresh_from_db()
    assert webhooks.secret_of(endpoint) == rotated and WebhookEndpoint.objects.count() == 1


def test_http_addresses_are_refused_on_the_page(client, clerk):
    client.force_login(clerk)
    page = client.post("/staff/watch/webhooks/", {"url": "http://bank.example.com/hook"}).content.decode()
    assert "必须使用 HTTPS" in page
    assert not WebhookEndpoint.objects.exists()


def test_endpoint_actions_switch_off_on_and_delete(client, clerk):
    endpoint, _secret = webhooks.create_endpoint(owner=clerk, url="https://bank.example.com/hook")
    client.force_login(clerk)
    client.post(f"/staff/watch/webhooks/{endpoint.pk}/disable/")
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    client.post(f"/staff/watch/webhooks/{endpoint.pk}/enable/")
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert client.post(f"/staff/watch/webhooks/{endpoint.pk}/explode/").status_code == 404
    client.post(f"/staff/watch/webhooks/{endpoint.pk}/delete/")
    assert not WebhookEndpoint.objects.exists()


def test_deleting_a_list_asks_first_with_its_name_and_code_count_and_deletes_on_confirmation(client, clerk):
    watchlist = services.create_watchlist(owner=clerk, name="重点企业")
    for n in (1, 2, 3):
        services.add_code(watchlist=watchlist, by=clerk, code=code(n))
    client.force_login(clerk)
    list_page = client.get(f"/staff/watch/lists/{watchlist.pk}/").content.decode()
    # The list's page only links to the confirmation; no form there posts the deletion.
    assert f'href="/staff/watch/lists/{watchlist.pk}/delete/"' in list_page
    assert f'action="/staff/watch/lists/{watchlist.pk}/delete/"' not in list_page
    confirm = client.get(f"/staff/watch/lists/{watchlist.pk}/delete/")
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "删除关注清单“重点企业”" in text and '<dd id="delete-code-count">3</dd>' in text
    assert "不再关注清单中的 3 个代码" in text
    assert Watchlist.objects.filter(pk=watchlist.pk).exists()  # showing the question deletes nothing
    response = client.post(f"/staff/watch/lists/{watchlist.pk}/delete/")
    assert (response.status_code, response["Location"]) == (302, "/staff/watch/")
    assert not Watchlist.objects.exists() and not WatchedSubject.objects.exists()


def test_deleting_an_endpoint_asks_first_with_its_address_and_pending_deliveries(client, clerk):
    watchlist = services.create_watchlist(owner=clerk, name="推送测试")
    services.add_code(watchlist=watchlist, by=clerk, code=code(1))
    endpoint, _secret = webhooks.create_endpoint(owner=clerk, url="https://bank.example.com/hook")
    change(code(1))
    change(code(1), action="corrected")
    services.match_changes()
    client.force_login(clerk)
    endpoint_page = client.get(f"/staff/watch/webhooks/{endpoint.pk}/").content.decode()
    assert f'href="/staff/watch/webhooks/{endpoint.pk}/delete/"' in endpoint_page
    assert f'action="/staff/watch/webhooks/{endpoint.pk}/delete/"' not in endpoint_page
    text = client.get(f"/staff/watch/webhooks/{endpoint.pk}/delete/").content.decode()
    assert "<code>https://bank.example.com/hook</code>" in text
    assert '<dd id="delete-pending">2</dd>' in text and "还有 2 条变化尚未送达" in text
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2
    response = client.post(f"/staff/watch/webhooks/{endpoint.pk}/delete/")
    assert (response.status_code, response["Location"]) == (302, "/staff/watch/webhooks/")
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()


def test_the_confirmed_deletions_need_the_csrf_token_of_the_confirmation_page(clerk):
    watchlist = services.create_watchlist(owner=clerk, name="重点企业")
    endpoint, _secret = webhooks.create_endpoint(owner=clerk, url="https://bank.example.com/hook")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    for url in (f"/staff/watch/lists/{watchlist.pk}/delete/", f"/staff/watch/webhooks/{endpoint.pk}/delete/"):
        assert browser.post(url).status_code == 403  # a forged form from another site
        token = browser.get(url).context["csrf_token"]
        assert browser.post(url, {"csrfmiddlewaretoken": str(token)}).status_code == 302
    assert not Watchlist.objects.exists() and not WebhookEndpoint.objects.exists()


def _next_attempt_cell(page: str, delivery: WebhookDelivery) -> str:
    row = re.search(rf'<tr id="delivery-{delivery.pk}">(.*?)</tr>', page, re.S).group(1)
    return re.search(r'<td class="next-attempt">(.*?)</td>', row, re.S).group(1)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def test_the_delivery_log_shows_when_a_waiting_delivery_is_tried_next(client, clerk, receiver):
    """The later of the delivery's and the endpoint's backoff, as the sender decides (webhooks.due_deliveries)."""
    watchlist = services.create_watchlist(owner=clerk, name="推送测试")
    for n in (1, 2):
        services.add_code(watchlist=watchlist, by=clerk, code=code(n))
    endpoint, receiver.secret = webhooks.create_endpoint(owner=clerk, url=receiver.url)
    change(code(1))
    change(code(2))
    services.match_changes()
    receiver.answers.append(500)
    # The first fails and the endpoint backs off; the second (another subject) waits for the endpoint unattempted.
    assert webhooks.send_due_deliveries() == {"failed": 1, "waiting": 1}
    first, second = WebhookDelivery.objects.order_by("change_id")
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=first.pk).update(next_attempt_at=now + datetime.timedelta(minutes=50))
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(next_attempt_at=now + datetime.timedelta(minutes=20))
    assert second.next_attempt_at < now  # its own time has come: only the endpoint's backoff holds it
    change(code(2), action="corrected")  # a later change of the second subject waits for the second to arrive
    services.match_changes()
    third = WebhookDelivery.objects.order_by("change_id").last()

    client.force_login(clerk)
    page = client.get(f"/staff/watch/webhooks/{endpoint.pk}/").content.decode()
    assert _next_attempt_cell(page, first) == _local(now + datetime.timedelta(minutes=50))  # its own, the later
    assert _next_attempt_cell(page, second) == _local(now + datetime.timedelta(minutes=20))  # the endpoint's
    assert "等同一主体的前一条变化送达后发送" in _next_attempt_cell(page, third)
    assert "起重试" in page and _local(now + datetime.timedelta(minutes=20)) in page  # the endpoint's state

    webhooks.update_endpoint(endpoint=endpoint, by=clerk, is_active=False)
    page = client.get(f"/staff/watch/webhooks/{endpoint.pk}/").content.decode()
    for delivery in (first, second, third):
        cell = _next_attempt_cell(page, delivery)
        assert "已停用" in cell and "启用后才会发送" in cell and ":" not in cell  # no time: nothing is sent
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True, disabled_at=now)  # after its streak
    page = client.get(f"/staff/watch/webhooks/{endpoint.pk}/").content.decode()
    assert "已自动停用" in _next_attempt_cell(page, first)

    webhooks.enable_endpoint(endpoint=endpoint, by=clerk)  # the endpoint's backoff is lifted
    WebhookDelivery.objects.filter(pk=first.pk).update(next_attempt_at=now)
    page = client.get(f"/staff/watch/webhooks/{endpoint.pk}/").content.decode()
    assert _next_attempt_cell(page, first) == _next_attempt_cell(page, second) == "即将发送"
