"""Time limits in working days across holidays (国庆 2026), pauses for materials and expert review (DOMAIN §4, §8)."""

from __future__ import annotations

import datetime

import pytest

from credit_portal.errors import TransitionNotAllowed
from repair import policy, services
from repair.choices import ApplicationKind, ApplicationStatus
from repair.models import TimeLimitPolicy

from .factories import file, pdf, repairable_penalty

pytestmark = pytest.mark.django_db
S = ApplicationStatus
D = datetime.date


def test_accept_limit_skips_the_national_day_holiday():
    # Filed Wed 30 Sep 2026; 1-7 Oct are off: 2 working days are 8 and 9 Oct.
    assert file(repairable_penalty(), today=D(2026, 9, 30)).accept_due_date == D(2026, 10, 9)


def test_decision_limit_counts_the_make_up_saturday_as_a_working_day(reviewer):
    application = file(repairable_penalty(), today=D(2026, 9, 29))
    accepted = services.accept_application(application=application, by=reviewer, today=D(2026, 9, 30))
    assert accepted.decide_due_date == D(2026, 10, 13)  # 8, 9, 10 (Saturday 调休), 12, 13 Oct


def test_requesting_materials_pauses_the_clock_until_the_applicant_uploads(reviewer):
    application = file(repairable_penalty(), today=D(2026, 9, 28))  # due 30 Sep
    assert application.accept_due_date == D(2026, 9, 30)
    paused = services.request_materials(
        application=application, by=reviewer, note="请补充缴款凭证", today=D(2026, 9, 29)
    )
    assert paused.status == S.MATERIALS_REQUESTED and paused.paused_on == D(2026, 9, 29)
    resumed = services.supplement_materials(
        application=paused, contact="13800138000", materials=[pdf("缴款凭证.pdf")], today=D(2026, 10, 9)
    )
    # Paused 30 Sep, 8 Oct, 9 Oct: 3 working days are added to the limit (30 Sep -> 8, 9, 10 Oct: 调休 Saturday).
    assert resumed.status == S.SUBMITTED
    assert resumed.paused_working_days == 3
    assert resumed.accept_due_date == D(2026, 10, 10)
    assert resumed.materials.filter(is_supplement=True).count() == 1


def test_pause_after_acceptance_shifts_the_decision_limit_and_returns_to_review(reviewer):
    application = services.accept_application(
        application=file(repairable_penalty(), today=D(2026, 11, 23)), by=reviewer, today=D(2026, 11, 23)
    )
    assert application.decide_due_date == D(2026, 11, 30)
    services.request_materials(application=application, by=reviewer, note="补充", today=D(2026, 11, 24))
    resumed = services.supplement_materials(
        application=application, contact="applicant@example.com", materials=[pdf()], today=D(2026, 11, 26)
    )
    assert resumed.status == S.ACCEPTED
    assert resumed.decide_due_date == D(2026, 12, 2)


def test_handling_time_does_not_count_the_pause(reviewer):
    application = file(repairable_penalty(), today=D(2026, 11, 16))
    services.request_materials(application=application, by=reviewer, note="补充", today=D(2026, 11, 16))
    services.supplement_materials(
        application=application, contact="13800138000", materials=[pdf()], today=D(2026, 11, 19)
    )
    services.accept_application(application=application, by=reviewer, today=D(2026, 11, 20))
    done = services.approve_repair(application=application, by=reviewer, reason="准予", today=D(2026, 11, 23))
    assert done.handling_working_days == 5 - 3  # 17,18,19,20,23 minus the 3 paused days
    assert done.is_within_limit is True


def test_supplement_is_refused_when_nothing_was_requested():
    application = file(repairable_penalty())
    with pytest.raises(Exception) as caught:
        services.supplement_materials(application=application, contact="13800138000", materials=[pdf()])
    assert getattr(caught.value, "code", "") == "materials_not_requested"


def test_expert_review_pauses_an_objection_and_resumes(reviewer, clerk):
    penalty = repairable_penalty(department=clerk.department)
    application = file(penalty, kind=ApplicationKind.OBJECTION, today=D(2026, 11, 23))
    application = services.route_objection(application=application, by=reviewer, today=D(2026, 11, 23))
    assert application.decide_due_date == D(2026, 11, 30)
    services.start_expert_review(application=application, by=clerk, note="送检", today=D(2026, 11, 24))
    with pytest.raises(TransitionNotAllowed):
        services.answer_objection(application=application, by=clerk, outcome="verified", answer="x")
    resumed = services.end_expert_review(application=application, by=clerk, today=D(2026, 12, 1))
    assert resumed.status == S.ROUTED
    assert resumed.decide_due_date == D(2026, 12, 7)  # + 5 paused working days (25,26,27,30 Nov, 1 Dec)


def test_objection_extension_gives_twenty_working_days_in_total(reviewer):
    application = file(repairable_penalty(), kind=ApplicationKind.OBJECTION, today=D(2026, 11, 2))
    application = services.route_objection(application=application, by=reviewer, today=D(2026, 11, 2))
    extended = services.extend_time_limit(application=application, by=reviewer, reason="需现场核查")
    from credit_portal.workdays.services import add_working_days

    assert extended.decide_due_date == add_working_days(D(2026, 11, 2), 20).date


def test_limits_are_admin_editable_rows():
    TimeLimitPolicy.objects.create(
        kind=ApplicationKind.REPAIR, effective_from=D(2026, 11, 1), accept_days=1, decide_days=10
    )
    assert policy.limits(ApplicationKind.REPAIR, on=D(2026, 11, 25)).accept_days == 1
    assert policy.limits(ApplicationKind.REPAIR, on=D(2026, 10, 25)).accept_days == 2
    assert file(repairable_penalty(), today=D(2026, 11, 25)).accept_due_date == D(2026, 11, 26)


def test_settings_defaults_apply_without_rows(settings):
    TimeLimitPolicy.objects.all().delete()
    settings.REPAIR_TIME_LIMITS = {"repair": {"accept_days": 3}}
    assert policy.limits(ApplicationKind.REPAIR, on=D(2026, 11, 25)).accept_days == 3
    assert policy.limits(ApplicationKind.REPAIR, on=D(2026, 11, 25)).decide_days == 5
