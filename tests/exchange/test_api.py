"""Staff API of the exchange: scoped read-only events, resend for administrators (DOMAIN §11)."""

import pytest

from credit_portal.exchange.models import OutboxEvent

from .factories import OutboxEventFactory

pytestmark = pytest.mark.django_db

Status = OutboxEvent.Status
URL = "/api/v1/exchange/events/"


def test_clerks_list_only_their_departments_events(api_for, clerk, department_b):
    own = OutboxEventFactory(department=clerk.department)
    other = OutboxEventFactory(department=department_b)
    body = api_for(clerk).get(URL).json()
    assert [row["id"] for row in body["results"]] == [own.pk]
    assert api_for(clerk).get(f"{URL}{other.pk}/").status_code == 404


def test_reviewers_list_every_event_and_filter_by_status(api_for, reviewer, department_a, department_b):
    OutboxEventFactory(department=department_a, status=Status.REJECTED, last_error="缺少必填字段")
    OutboxEventFactory(department=department_b)
    assert api_for(reviewer).get(URL).json()["count"] == 2
    rows = api_for(reviewer).get(URL, {"status": "rejected"}).json()["results"]
    assert [(row["status"], row["last_error"], row["department_name"]) for row in rows] == [
        ("rejected", "缺少必填字段", department_a.name)
    ]


def test_events_list_has_no_payload(api_for, reviewer):
    OutboxEventFactory()
    row = api_for(reviewer).get(URL).json()["results"][0]
    assert "payload" not in row


def test_anonymous_callers_are_refused(api_client):
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_administrators_resend_a_dead_event(api_for, administrator):
    dead = OutboxEventFactory(status=Status.DEAD, attempts=20)
    response = api_for(administrator).post(f"{URL}{dead.pk}/resend/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)


def test_resend_by_a_reviewer_is_forbidden(api_for, reviewer):
    dead = OutboxEventFactory(status=Status.DEAD, attempts=20)
    response = api_for(reviewer).post(f"{URL}{dead.pk}/resend/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_resend_of_a_delivered_event_is_refused_with_its_code(api_for, administrator):
    event = OutboxEventFactory(status=Status.DELIVERED)
    response = api_for(administrator).post(f"{URL}{event.pk}/resend/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "event_not_resendable"


def test_events_list_query_count_does_not_grow_with_rows(api_for, reviewer, django_assert_max_num_queries):
    client = api_for(reviewer)
    OutboxEventFactory.create_batch(2)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    OutboxEventFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
