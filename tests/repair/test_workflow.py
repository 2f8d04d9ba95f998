"""Each step of repair and objection review: allowed and refused moves, effects on records, lists and upstream."""

from __future__ import annotations

import datetime

import pytest

from django.core import mail

from credit_portal.errors import DomainError, NotFound, PermissionDenied, TransitionNotAllowed
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import AuditEvent
from disclosure.choices import RecordStatus
from disclosure.models import RecordVersion
from repair import services, transitions
from repair.choices import ApplicationKind, ApplicationStatus, ObjectionOutcome
from repair.models import Application
from sanctions.choices import EntryStatus, RemovalReason

from .factories import TODAY, file, removable_entry, repairable_penalty

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _accepted(penalty=None, *, reviewer):
    application = file(penalty or repairable_penalty())
    return services.accept_application(application=application, by=reviewer, today=TODAY)


# --- repair --------------------------------------------------------------------------------------------------------


def test_accepting_starts_the_five_working_day_decision_limit(reviewer):
    application = _accepted(reviewer=reviewer)
    assert application.status == S.ACCEPTED
    assert application.decide_due_date == datetime.date(2026, 12, 2)
    assert application.steps.filter(action="accepted").exists()
    assert AuditEvent.objects.filter(action="repair_application_accepted", object_id=str(application.pk)).exists()


def test_approved_repair_stops_the_penalty_at_once_and_writes_a_withdraw_event(reviewer, api_client):
    penalty = repairable_penalty()
    assert api_client.get("/api/v1/public/penalties/", {"q": penalty.subject_name}).json()["count"] == 1
    application = _accepted(penalty, reviewer=reviewer)
    services.approve_repair(application=application, by=reviewer, reason="罚款已缴清，整改到位。", today=TODAY)
    penalty.refresh_from_db()
    assert penalty.status == RecordStatus.STOPPED_BY_REPAIR
    assert OutboxEvent.objects.filter(object_id=penalty.pk, kind="penalty", action="withdraw").count() == 1
    assert api_client.get("/api/v1/public/penalties/", {"q": penalty.subject_name}).json()["count"] == 0
    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.decision_reason == "罚款已缴清，整改到位。"
    assert application.is_within_limit is True
    assert AuditEvent.objects.filter(action="repair_approved", object_id=str(application.pk)).exists()


def test_approved_repair_removes_the_list_entry_as_repaired(reviewer, api_client):
    entry = removable_entry()
    application = services.accept_application(application=file(entry), by=reviewer, today=TODAY)
    services.approve_repair(application=application, by=reviewer, reason="已履行", today=TODAY)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED
    assert entry.removal_reason == RemovalReason.REPAIRED
    assert OutboxEvent.objects.filter(object_id=entry.pk, kind="list_entry", action="withdraw").count() == 1
    assert entry.steps.filter(document__contains=application.tracking_number).exists()


def test_denied_repair_leaves_the_penalty_published(reviewer):
    penalty = repairable_penalty()
    application = _accepted(penalty, reviewer=reviewer)
    services.deny_repair(application=application, by=reviewer, reason="未提供缴款凭证。", today=TODAY)
    penalty.refresh_from_db()
    assert penalty.status == RecordStatus.PUBLISHED
    assert not OutboxEvent.objects.filter(object_id=penalty.pk, action="withdraw").exists()


def test_approving_before_acceptance_is_refused(reviewer):
    application = file(repairable_penalty())
    with pytest.raises(TransitionNotAllowed):
        services.approve_repair(application=application, by=reviewer, reason="x", today=TODAY)


def test_refusing_after_acceptance_is_refused(reviewer):
    application = _accepted(reviewer=reviewer)
    with pytest.raises(TransitionNotAllowed):
        services.refuse_application(application=application, by=reviewer, reason="x", today=TODAY)


def test_refusal_needs_a_reason_and_ends_the_application(reviewer):
    application = file(repairable_penalty())
    with pytest.raises(DomainError) as caught:
        services.refuse_application(application=application, by=reviewer, reason="  ", today=TODAY)
    assert caught.value.code == "reason_required"
    refused = services.refuse_application(application=application, by=reviewer, reason="材料不全", today=TODAY)
    assert refused.status == S.REFUSED and refused.decided_on == TODAY
    with pytest.raises(TransitionNotAllowed):
        services.accept_application(application=refused, by=reviewer, today=TODAY)


def test_clerks_cannot_review(clerk):
    application = file(repairable_penalty(department=clerk.department))
    with pytest.raises(PermissionDenied):
        services.accept_application(application=application, by=clerk, today=TODAY)


def test_extension_is_allowed_once(reviewer):
    application = _accepted(reviewer=reviewer)
    extended = services.extend_time_limit(application=application, by=reviewer, reason="案情复杂")
    assert extended.decide_due_date == datetime.date(2026, 12, 9)
    with pytest.raises(DomainError) as caught:
        services.extend_time_limit(application=extended, by=reviewer, reason="再延")
    assert caught.value.code == "already_extended"


def test_transition_table_lists_every_open_status():
    for kind in ApplicationKind.values:
        assert S.SUBMITTED in transitions.ALLOWED[kind]
        assert not any(final in transitions.ALLOWED[kind] for final in (S.APPROVED, S.DENIED, S.REFUSED, S.CLOSED))


def test_applicant_gets_a_chinese_email_at_each_step(reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = file(repairable_penalty())
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_application(application=application, by=reviewer, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_repair(application=application, by=reviewer, reason="准予修复", today=TODAY)
    assert [message.to for message in mail.outbox] == [["applicant@example.com"]] * 3
    assert application.tracking_number in mail.outbox[0].subject
    assert "已受理" in mail.outbox[1].body
    assert "准予修复" in mail.outbox[2].subject


# --- objections ------------------------------------------------------------------------------------------------------


def _routed(reviewer, department, **penalty_fields):
    penalty = repairable_penalty(department=department, **penalty_fields)
    application = file(penalty, kind=ApplicationKind.OBJECTION)
    return penalty, services.route_objection(application=application, by=reviewer, today=TODAY)


def test_objection_marks_the_record_at_once_and_the_public_api_shows_it(api_client):
    penalty = repairable_penalty()
    file(penalty, kind=ApplicationKind.OBJECTION)
    penalty.refresh_from_db()
    assert penalty.is_under_objection is True
    row = api_client.get("/api/v1/public/penalties/", {"q": penalty.subject_name}).json()["results"][0]
    assert row.get("is_under_objection") is True or "异议处理中" in str(row)


def test_routing_starts_the_department_limit_and_notifies_its_clerks(reviewer, clerk):
    _penalty, application = _routed(reviewer, clerk.department)
    assert application.status == S.ROUTED
    assert application.decide_due_date == datetime.date(2026, 12, 2)
    assert clerk.notifications.filter(kind="objection_routed").count() == 1


def test_clerk_of_another_department_cannot_answer(reviewer, clerk, clerk_b):
    _penalty, application = _routed(reviewer, clerk.department)
    with pytest.raises(NotFound):
        services.answer_objection(application=application, by=clerk_b, outcome="verified", answer="无误")


def test_verified_objection_is_closed_and_the_mark_cleared(reviewer, clerk, django_capture_on_commit_callbacks):
    penalty, application = _routed(reviewer, clerk.department)
    services.answer_objection(
        application=application, by=clerk, outcome=ObjectionOutcome.VERIFIED, answer="经核实无误"
    )
    with pytest.raises(TransitionNotAllowed):
        services.answer_objection(application=application, by=clerk, outcome="verified", answer="again")
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.close_objection(application=application, by=reviewer, reason="维持原记录", today=TODAY)
    penalty.refresh_from_db()
    assert closed.status == S.CLOSED
    assert penalty.is_under_objection is False and penalty.status == RecordStatus.PUBLISHED
    assert "复核" in mail.outbox[-1].body


def test_corrected_objection_goes_through_the_record_correction_path(reviewer, clerk):
    penalty, application = _routed(reviewer, clerk.department)
    services.answer_objection(
        application=application,
        by=clerk,
        outcome=ObjectionOutcome.CORRECTED,
        answer="罚款金额录入错误，已更正",
        changes={"content": "罚款人民币壹万元整。", "fine_amount": "1"},
    )
    penalty.refresh_from_db()
    assert penalty.version == 2
    assert penalty.content == "罚款人民币壹万元整。"
    assert RecordVersion.objects.filter(record_id=penalty.pk, version=1).exists()
    assert OutboxEvent.objects.filter(object_id=penalty.pk, kind="penalty", action="upsert").count() == 1


def test_withdrawn_objection_withdraws_the_record(reviewer, clerk):
    penalty, application = _routed(reviewer, clerk.department)
    services.answer_objection(
        application=application, by=clerk, outcome=ObjectionOutcome.WITHDRAWN, answer="主体认定错误"
    )
    penalty.refresh_from_db()
    assert penalty.status == RecordStatus.WITHDRAWN
    assert OutboxEvent.objects.filter(object_id=penalty.pk, action="withdraw").count() == 1


def test_withdrawn_objection_about_a_list_entry_removes_it_when_closed(reviewer, clerk):
    entry = removable_entry(department=clerk.department)
    application = services.route_objection(
        application=file(entry, kind=ApplicationKind.OBJECTION), by=reviewer, today=TODAY
    )
    services.answer_objection(application=application, by=clerk, outcome=ObjectionOutcome.WITHDRAWN, answer="不应列入")
    services.close_objection(application=application, by=reviewer, reason="撤销列入决定", today=TODAY)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED and entry.removal_reason == RemovalReason.REVOKED


def test_refused_objection_clears_the_mark(reviewer):
    penalty = repairable_penalty()
    application = file(penalty, kind=ApplicationKind.OBJECTION)
    services.refuse_application(application=application, by=reviewer, reason="未说明理由", today=TODAY)
    penalty.refresh_from_db()
    assert penalty.is_under_objection is False


def test_accept_is_for_repairs_and_route_for_objections(reviewer):
    objection = file(repairable_penalty(), kind=ApplicationKind.OBJECTION)
    with pytest.raises(DomainError) as caught:
        services.accept_application(application=objection, by=reviewer, today=TODAY)
    assert caught.value.code == "use_route"
    repair = file(repairable_penalty())
    with pytest.raises(DomainError):
        services.route_objection(application=repair, by=reviewer, today=TODAY)


def test_closing_before_the_answer_is_refused(reviewer, clerk):
    _penalty, application = _routed(reviewer, clerk.department)
    with pytest.raises(TransitionNotAllowed):
        services.close_objection(application=application, by=reviewer, reason="x", today=TODAY)


def test_scoping_clerk_sees_only_own_department(clerk, clerk_b):
    file(repairable_penalty(department=clerk.department))
    assert Application.objects.visible_to(clerk).count() == 1
    assert Application.objects.visible_to(clerk_b).count() == 0


def test_reviewers_with_an_address_are_mailed_of_a_new_application(reviewer, django_capture_on_commit_callbacks):
    reviewer.email = "reviewer@example.gov.cn"
    reviewer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        application = file(repairable_penalty())
    staff_mail = [message for message in mail.outbox if message.to == ["reviewer@example.gov.cn"]]
    assert len(staff_mail) == 1 and application.tracking_number in staff_mail[0].body
    assert reviewer.notifications.filter(kind="repair_filed").count() == 1


def test_objection_applicant_is_mailed_at_every_step(reviewer, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        penalty, application = _routed(reviewer, clerk.department)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_objection(application=application, by=clerk, outcome="verified", answer="经核实无误")
    with django_capture_on_commit_callbacks(execute=True):
        services.close_objection(application=application, by=reviewer, reason="维持", today=TODAY)
    subjects = [message.subject for message in mail.outbox if message.to == ["applicant@example.com"]]
    assert len(subjects) == 4  # filed, routed, answered, closed
    assert all(application.tracking_number in subject for subject in subjects)


FINAL_STEPS = {
    "accept": lambda app, by: services.accept_application(application=app, by=by, today=TODAY),
    "refuse": lambda app, by: services.refuse_application(application=app, by=by, reason="x", today=TODAY),
    "request_materials": lambda app, by: services.request_materials(application=app, by=by, note="x", today=TODAY),
    "approve": lambda app, by: services.approve_repair(application=app, by=by, reason="x", today=TODAY),
    "deny": lambda app, by: services.deny_repair(application=app, by=by, reason="x", today=TODAY),
}


@pytest.mark.parametrize("final", [S.APPROVED, S.DENIED, S.REFUSED])
@pytest.mark.parametrize("step", sorted(FINAL_STEPS))
def test_no_step_moves_a_finished_repair(reviewer, final, step):
    application = file(repairable_penalty())
    Application.objects.filter(pk=application.pk).update(status=final)
    with pytest.raises(TransitionNotAllowed):
        FINAL_STEPS[step](application, reviewer)


def test_admin_edits_time_limits(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/repair/timelimitpolicy/").status_code == 200
    assert client.get("/admin/repair/application/").status_code == 200


def test_open_objection_marks_the_list_entry_on_the_public_list_page_and_api(client, api_client, reviewer):
    entry = removable_entry()
    other = removable_entry()
    rows = {row["id"]: row for row in api_client.get("/api/v1/public/list-entries/").json()["results"]}
    assert rows[entry.pk]["is_under_objection"] is False
    application = file(entry, kind=ApplicationKind.OBJECTION)
    rows = {row["id"]: row for row in api_client.get("/api/v1/public/list-entries/").json()["results"]}
    assert rows[entry.pk]["is_under_objection"] is True
    assert rows[other.pk]["is_under_objection"] is False
    assert "异议处理中" in client.get(f"/lists/{entry.pk}/").content.decode()
    assert "异议处理中" not in client.get(f"/lists/{other.pk}/").content.decode()
    services.refuse_application(application=application, by=reviewer, reason="未说明理由", today=TODAY)
    assert "异议处理中" not in client.get(f"/lists/{entry.pk}/").content.decode()
