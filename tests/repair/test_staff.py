"""Staff pages and API: the queue, materials served safely, steps, statistics, scoping (DOMAIN §8)."""

from __future__ import annotations

import datetime

import pytest

from repair import services
from repair.choices import ApplicationKind, ApplicationStatus

from .factories import TODAY, file, repairable_penalty

pytestmark = pytest.mark.django_db


def test_queue_page_lists_applications_with_time_limit_indicators(client, reviewer):
    application = file(repairable_penalty())
    client.force_login(reviewer)
    page = client.get("/staff/repair/", {"status": "submitted"})
    assert page.status_code == 200
    assert application.tracking_number in page.content.decode()


def test_queue_page_is_a_404_for_visitors(client):
    assert client.get("/staff/repair/").status_code in (302, 404)


def test_material_is_served_to_staff_with_nosniff_and_disposition(client, reviewer):
    application = file(repairable_penalty())
    material = application.materials.get()
    client.force_login(reviewer)
    answer = client.get(f"/staff/repair/materials/{material.pk}/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Content-Disposition"].startswith("inline; filename*=UTF-8''")
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")


def test_material_is_a_404_for_anonymous_and_other_departments(client, clerk_b):
    application = file(repairable_penalty())
    material = application.materials.get()
    assert client.get(f"/staff/repair/materials/{material.pk}/").status_code in (302, 404)
    client.force_login(clerk_b)
    assert client.get(f"/staff/repair/materials/{material.pk}/").status_code == 404


def test_reviewer_accepts_and_approves_on_the_detail_page(client, reviewer):
    penalty = repairable_penalty()
    application = file(penalty)
    client.force_login(reviewer)
    client.post(f"/staff/repair/{application.pk}/accept/")
    client.post(f"/staff/repair/{application.pk}/approve/", {"reason": "准予修复"})
    application.refresh_from_db()
    penalty.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert penalty.status == "stopped_by_repair"


def test_refused_step_shows_a_message_and_changes_nothing(client, reviewer):
    application = file(repairable_penalty())
    client.force_login(reviewer)
    page = client.post(f"/staff/repair/{application.pk}/approve/", {"reason": "x"}, follow=True)
    assert "transition_not_allowed" in page.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_clerk_of_another_department_gets_404_on_the_answer_page(client, reviewer, clerk, clerk_b):
    application = file(repairable_penalty(department=clerk.department), kind=ApplicationKind.OBJECTION)
    services.route_objection(application=application, by=reviewer)
    client.force_login(clerk_b)
    assert client.get(f"/staff/repair/{application.pk}/").status_code == 404
    assert (
        client.post(f"/staff/repair/{application.pk}/answer/", {"outcome": "verified", "answer": "x"}).status_code
        == 404
    )
    client.force_login(clerk)
    client.post(f"/staff/repair/{application.pk}/answer/", {"outcome": "verified", "answer": "经核实无误"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ANSWERED


def test_staff_api_list_query_count_does_not_grow(api_for, reviewer, django_assert_max_num_queries):
    for _ in range(3):
        file(repairable_penalty())
    client = api_for(reviewer)
    with django_assert_max_num_queries(6):
        first = client.get("/api/v1/repair/applications/")
    for _ in range(5):
        file(repairable_penalty())
    with django_assert_max_num_queries(6):
        second = client.get("/api/v1/repair/applications/")
    assert first.json()["count"] == 3 and second.json()["count"] == 8


def test_staff_api_steps_and_scoping(api_for, reviewer, clerk, clerk_b):
    application = file(repairable_penalty(department=clerk.department), kind=ApplicationKind.OBJECTION)
    assert api_for(reviewer).post(f"/api/v1/repair/applications/{application.pk}/route/").status_code == 200
    answer = api_for(clerk_b).post(
        f"/api/v1/repair/applications/{application.pk}/answer/", {"outcome": "verified", "answer": "x"}, format="json"
    )
    assert answer.status_code == 404
    answer = api_for(clerk).post(
        f"/api/v1/repair/applications/{application.pk}/answer/",
        {"outcome": "verified", "answer": "无误"},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "answered"
    assert (
        api_for(clerk).post(f"/api/v1/repair/applications/{application.pk}/close/", {"reason": "x"}).status_code == 403
    )


def test_statistics_by_kind_with_median_and_share_within_limits(client, reviewer):
    late = file(repairable_penalty(), today=datetime.date(2026, 11, 2))
    services.accept_application(application=late, by=reviewer, today=datetime.date(2026, 11, 2))
    services.approve_repair(application=late, by=reviewer, reason="准予", today=datetime.date(2026, 11, 16))  # late
    quick = file(repairable_penalty(), today=datetime.date(2026, 11, 23))
    services.refuse_application(application=quick, by=reviewer, reason="不符合", today=datetime.date(2026, 11, 24))
    file(repairable_penalty(), kind=ApplicationKind.OBJECTION, today=TODAY)
    client.force_login(reviewer)
    page = client.get("/staff/repair/stats/")
    assert page.status_code == 200
    from repair.selectors import statistics_for_office

    stats = {row["kind"]: row for row in statistics_for_office()["kinds"]}
    assert stats["repair"]["total"] == 2 and stats["objection"]["open"] == 1
    assert stats["repair"]["median_working_days"] == (10 + 1) / 2
    assert stats["repair"]["share_within_limit"] == 0.5


def test_detail_page_shows_the_working_days_left_and_the_actions(client, reviewer):
    application = file(repairable_penalty(), today=None)
    client.force_login(reviewer)
    page = client.get(f"/staff/repair/{application.pk}/").content.decode()
    assert "剩余 2 个工作日" in page  # filed today: the 2-day acceptance limit is untouched
    assert 'data-action="accept"' in page and 'data-action="approve"' not in page
