"""Staff dashboards: scoping (a clerk sees only their department), CSV equals the chart, fixed query counts."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from django.urls import reverse
from django.utils import timezone

from campaigns.choices import ComplaintStatus
from credit_portal.reports import dashboards
from disclosure.choices import RecordStatus, Timeliness
from repair.choices import ApplicationKind, ApplicationStatus, TargetKind
from repair.models import Application
from sanctions.choices import BusinessMatter
from sanctions.models import CreditCheck
from tests.campaigns.factories import ComplaintFactory
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory
from tests.sanctions.factories import ListEntryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RECENT = TODAY - datetime.timedelta(days=20)
PERIOD = {"date_from": (TODAY - datetime.timedelta(days=60)).isoformat(), "date_to": TODAY.isoformat()}


def _penalty(department, timeliness, **extra):
    status = RecordStatus.DRAFT if timeliness == Timeliness.OVERDUE else RecordStatus.PUBLISHED
    published_at = None if status == RecordStatus.DRAFT else timezone.now() - datetime.timedelta(days=10)
    return PenaltyFactory(
        department=department,
        decision_date=RECENT,
        status=status,
        timeliness=timeliness,
        published_at=published_at,
        **extra,
    )


@pytest.fixture
def activity(department_a, department_b, clerk, clerk_b):
    """Department A: 3 on time, 1 late, 1 overdue; department B: 1 on time, 2 overdue; plus lists, checks, cases."""
    for _ in range(3):
        _penalty(department_a, Timeliness.ON_TIME)
    _penalty(department_a, Timeliness.LATE)
    _penalty(department_a, Timeliness.OVERDUE)
    _penalty(department_b, Timeliness.ON_TIME)
    _penalty(department_b, Timeliness.OVERDUE)
    _penalty(department_b, Timeliness.OVERDUE)
    ListEntryFactory(department=department_a, decision_date=RECENT)
    ListEntryFactory(department=department_b, decision_date=RECENT)
    ListEntryFactory(department=department_b, decision_date=RECENT)
    CreditCheck.objects.create(
        by=clerk, department=department_a, matter=BusinessMatter.GOVERNMENT_PROCUREMENT, subject_count=5, hit_count=1
    )
    CreditCheck.objects.create(
        by=clerk_b, department=department_b, matter=BusinessMatter.GOVERNMENT_PROCUREMENT, subject_count=7, hit_count=2
    )
    ComplaintFactory(department=department_a, status=ComplaintStatus.ASSIGNED)
    ComplaintFactory(department=department_b, status=ComplaintStatus.ANSWERED, is_overdue=True)
    subject = SubjectFactory()
    for department, days in ((department_a, 3), (department_b, 5), (department_b, 9)):
        Application.objects.create(
            tracking_number=f"XF{department.pk}{days}",
            kind=ApplicationKind.REPAIR,
            status=ApplicationStatus.APPROVED,
            target_kind=TargetKind.PENALTY,
            penalty=PenaltyFactory(
                department=department, subject=subject, decision_date=RECENT - datetime.timedelta(days=100)
            ),
            subject=subject,
            department=department,
            statement="已履行",
            contact_name="联系人",
            contact_phone="13800001111",
            submitted_on=RECENT,
            accept_due_date=RECENT,
            decided_on=RECENT + datetime.timedelta(days=days),
            handling_working_days=days,
        )


def _chart(response, key):
    return next(chart for chart in response.context["charts"] if chart.key == key)


def test_reviewer_sees_every_department(client, reviewer, activity, department_a, department_b):
    client.force_login(reviewer)
    response = client.get(reverse("dashboards"), PERIOD)
    assert response.status_code == 200
    compliance = _chart(response, "compliance")
    assert compliance.rows == sorted([[department_b.name, 1, 0, 2, 33.3], [department_a.name, 3, 1, 1, 60.0]])
    assert _chart(response, "overdue").rows == sorted([[department_a.name, 0, 1], [department_b.name, 0, 2]])
    assert sum(row[2] for row in _chart(response, "list-entries").rows) == 3
    assert sum(row[1] for row in _chart(response, "credit-checks").rows) == 2
    handling = _chart(response, "handling-times").rows[0]
    assert handling[1:4] == [3, round((3 + 5 + 9) / 3, 1), 9]
    assert "<svg" in response.content.decode()


def test_clerk_b_sees_only_department_b(client, clerk_b, activity, department_a, department_b):
    client.force_login(clerk_b)
    # Asking for department A changes nothing: a clerk's charts are their own department's.
    response = client.get(reverse("dashboards"), {**PERIOD, "department": department_a.pk})
    html = response.content.decode()
    assert _chart(response, "compliance").rows == [[department_b.name, 1, 0, 2, 33.3]]
    assert _chart(response, "overdue").rows == [[department_b.name, 0, 2]]
    assert sum(row[2] for row in _chart(response, "list-entries").rows) == 2
    assert _chart(response, "credit-checks").rows[0][1:] == [1, 7, 2]
    complaints = {row[0]: row[1:] for row in _chart(response, "complaints").rows}
    assert complaints[str(ComplaintStatus.ANSWERED.label)] == [1, 1]
    assert complaints[str(ComplaintStatus.ASSIGNED.label)] == [0, 0]
    assert _chart(response, "handling-times").rows[0][1] == 2
    assert department_a.name not in html


def test_reviewer_filters_by_department(client, reviewer, activity, department_a):
    client.force_login(reviewer)
    response = client.get(reverse("dashboards"), {**PERIOD, "department": department_a.pk})
    assert _chart(response, "compliance").rows == [[department_a.name, 3, 1, 1, 60.0]]


def test_period_filter_leaves_out_older_records(client, reviewer, department_a):
    _penalty(department_a, Timeliness.ON_TIME)
    PenaltyFactory(
        department=department_a, decision_date=TODAY - datetime.timedelta(days=400), timeliness=Timeliness.LATE
    )
    client.force_login(reviewer)
    response = client.get(reverse("dashboards"), PERIOD)
    assert _chart(response, "compliance").rows == [[department_a.name, 1, 0, 0, 100.0]]


@pytest.mark.parametrize("key", list(dashboards.CHARTS))
def test_csv_download_matches_the_chart(client, reviewer, activity, key):
    client.force_login(reviewer)
    page = client.get(reverse("dashboards"), PERIOD)
    chart = _chart(page, key)
    response = client.get(reverse("dashboard-csv", args=[key]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == chart.columns
    assert rows[1:] == [["" if value is None else str(value) for value in row] for row in chart.rows]


def test_clerk_csv_is_scoped_too(client, clerk_b, activity, department_a):
    client.force_login(clerk_b)
    response = client.get(reverse("dashboard-csv", args=["overdue"]), {**PERIOD, "department": department_a.pk})
    assert department_a.name not in response.content.decode("utf-8-sig")


def test_dashboard_is_for_staff_only(client, reviewer):
    assert client.get(reverse("dashboards")).status_code == 302  # to the login page
    assert client.get(reverse("dashboard-csv", args=["nonsense"])).status_code == 302
    client.force_login(reviewer)
    assert client.get(reverse("dashboard-csv", args=["nonsense"])).status_code == 404


def test_dashboard_query_count_does_not_grow_with_rows(client, reviewer, department_a, django_assert_max_num_queries):
    client.force_login(reviewer)
    for _ in range(5):
        _penalty(department_a, Timeliness.ON_TIME)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("dashboards"), PERIOD)
    for _ in range(40):
        _penalty(department_a, Timeliness.LATE)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dashboards"), PERIOD)


def test_dashboard_api_gives_the_same_table(api_for, clerk_b, activity, department_b):
    answer = api_for(clerk_b).get(reverse("api-dashboard-data", args=["overdue"]), PERIOD)
    assert answer.status_code == 200
    assert answer.json()["rows"] == [[department_b.name, 0, 2]]


def test_staff_menu_links_the_dashboards_and_public_nav_the_credit_report(client, clerk):
    assert reverse("credit-report") in client.get(reverse("home")).content.decode()
    client.force_login(clerk)
    assert f'href="{reverse("dashboards")}"' in client.get(reverse("staff-home")).content.decode()
