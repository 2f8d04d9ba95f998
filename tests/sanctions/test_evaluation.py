"""Public credit evaluation: each factor moves the grade as configured, versioning, the nightly job (issue 11)."""

from __future__ import annotations

from datetime import date

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.choices import RecordStatus, Severity
from sanctions.choices import EntryStatus, RemovalReason
from sanctions.commitments.choices import CommitmentStatus
from sanctions.evaluation import services
from sanctions.models import EvaluationModel, GradeBand, SubjectGrade, SubjectGradeHistory
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import NaturalPersonFactory, SubjectFactory
from tests.sanctions.factories import ListEntryFactory, list_type
from tests.sanctions.test_commitments import CommitmentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def model():
    """The seeded version 1: base 100, A ≥ 100, B ≥ 90, C ≥ 70, else D."""
    return EvaluationModel.objects.get(version=1)


def _grade(subject):
    return services.recompute_subject_grade(subject=subject, today=TODAY)


def _penalty(subject, severity, **overrides):
    fields = {"publication_end_date": date(2027, 1, 1), **overrides}
    return PenaltyFactory(subject=subject, published=True, severity=severity, **fields)


def test_the_seeded_model_has_the_default_grades(model):
    assert [(b.symbol, b.meaning) for b in model.bands.order_by("-min_score")] == [
        ("A", "诚信"),
        ("B", "良好"),
        ("C", "关注"),
        ("D", "失信"),
    ]


def test_a_clean_record_gets_the_base_score_and_no_reasons(model):
    grade = _grade(SubjectFactory())
    assert (grade.score, grade.grade, grade.reasons) == (100, "A", [])


@pytest.mark.parametrize(
    ("severity", "code", "points", "expected"),
    [
        (Severity.MINOR, "penalty_minor", -2, "B"),
        (Severity.GENERAL, "penalty_general", -5, "B"),
        (Severity.SERIOUS, "penalty_serious", -15, "C"),
    ],
)
def test_each_penalty_severity_moves_the_grade_as_configured(model, severity, code, points, expected):
    subject = SubjectFactory()
    _penalty(subject, severity)
    grade = _grade(subject)
    assert grade.score == 100 + points
    assert grade.grade == expected
    assert grade.reasons == [{"factor": code, "count": 1, "points": points}]


def test_penalties_out_of_publication_do_not_count(model):
    subject = SubjectFactory()
    _penalty(subject, Severity.SERIOUS, publication_end_date=date(2026, 1, 1))  # period over
    PenaltyFactory(subject=subject, severity=Severity.SERIOUS)  # a draft
    assert _grade(subject).grade == "A"


def test_black_list_entry_gives_d_and_red_entry_lifts(model):
    black = SubjectFactory()
    ListEntryFactory(subject=black)
    grade = _grade(black)
    assert (grade.score, grade.grade) == (70, "C")
    CommitmentFactory(subject=black, status=CommitmentStatus.BROKEN, evidence="未履行")
    grade = _grade(black)
    assert grade.grade == "D"
    assert {r["factor"] for r in grade.reasons} == {"black_entry", "commitment_broken"}
    red = SubjectFactory()
    _penalty(red, Severity.GENERAL)
    ListEntryFactory(subject=red, list_type=list_type("tax_a"))
    grade = _grade(red)
    assert grade.score == 100
    assert {"factor": "red_entry", "count": 1, "points": 5} in grade.reasons


def test_fulfilled_commitments_and_repairs_add_points(model):
    subject = SubjectFactory()
    _penalty(subject, Severity.GENERAL)
    CommitmentFactory(subject=subject, status=CommitmentStatus.FULFILLED, evidence="已履行")
    ListEntryFactory(subject=subject, status=EntryStatus.REMOVED, removal_reason=RemovalReason.REPAIRED)
    PenaltyFactory(subject=subject, status=RecordStatus.STOPPED_BY_REPAIR, severity=Severity.SERIOUS)
    grade = _grade(subject)
    assert grade.score == 100 - 5 + 1 + 2 * 2
    assert {"factor": "repair", "count": 2, "points": 4} in grade.reasons


def test_an_administrator_weight_change_moves_the_grade(model):
    subject = SubjectFactory()
    _penalty(subject, Severity.MINOR)
    assert _grade(subject).grade == "B"
    EvaluationModel.objects.filter(pk=model.pk).update(weight_penalty_minor=0)
    assert _grade(subject).grade == "A"


def test_a_new_model_version_changes_grades_on_recompute_and_keeps_history(model):
    subject = SubjectFactory()
    _penalty(subject, Severity.SERIOUS)
    services.recompute_grades(today=TODAY)
    assert SubjectGrade.objects.get(subject=subject).grade == "C"
    v2 = EvaluationModel.objects.create(
        version=2, name="v2", effective_date=date(2026, 5, 1), weight_penalty_serious=-40
    )
    for symbol, meaning, low in [("A", "诚信", 100), ("B", "良好", 90), ("C", "关注", 70), ("D", "失信", -1000)]:
        GradeBand.objects.create(model=v2, symbol=symbol, meaning=meaning, min_score=low)
    services.recompute_grades(today=TODAY)
    grade = SubjectGrade.objects.get(subject=subject)
    assert (grade.grade, grade.model_id) == ("D", v2.pk)
    history = list(SubjectGradeHistory.objects.filter(subject=subject).order_by("computed_at", "pk"))
    assert [(row.model.version, row.grade) for row in history] == [(1, "C"), (2, "D")]
    services.recompute_grades(today=TODAY)  # nothing changed: no new history row
    assert SubjectGradeHistory.objects.filter(subject=subject).count() == 2


def test_a_model_not_yet_in_force_is_not_used(model):
    EvaluationModel.objects.create(version=2, name="v2", effective_date=date(2027, 1, 1))
    grade = _grade(SubjectFactory())
    assert grade.model_id == model.pk


def test_nightly_job_query_count_does_not_grow_with_subjects(model):
    SubjectFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        services.recompute_grades(today=TODAY)
    SubjectFactory.create_batch(30)
    for subject in SubjectFactory.create_batch(5):
        _penalty(subject, Severity.GENERAL)
    with CaptureQueriesContext(connection) as many:
        assert services.recompute_grades(today=TODAY) == 38
    assert len(many.captured_queries) == len(few.captured_queries)
    assert SubjectGrade.objects.filter(grade="B").count() == 5


def test_public_grade_endpoint_shows_grade_and_reasons_without_supervision(api_client, model):
    subject = SubjectFactory()
    _penalty(subject, Severity.SERIOUS)
    services.recompute_grades(today=TODAY)
    response = api_client.get(f"/api/v1/public/grades/{subject.uscc}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["grade"], body["meaning"], body["score"]) == ("C", "关注", 85)
    assert body["reasons"][0]["factor"] == "penalty_serious"
    assert body["reasons"][0]["label"]
    assert "inspection_ratio" not in body
    assert api_client.get("/api/v1/public/grades/91120111MA0000000X/").status_code == 404


def test_public_grade_masks_a_natural_persons_name(api_client, model):
    person = NaturalPersonFactory(uscc=None)
    services.recompute_grades(today=TODAY)
    assert SubjectGrade.objects.filter(subject=person).exists()
    # A person has no credit code, so the public endpoint cannot reach them.
    assert api_client.get("/api/v1/public/grades/None/").status_code == 404


def test_staff_grade_api_and_page_show_supervision_suggestion_and_history(api_for, client, clerk, model):
    subject = SubjectFactory()
    ListEntryFactory(subject=subject)
    CommitmentFactory(subject=subject, status=CommitmentStatus.BROKEN, evidence="未履行")
    services.recompute_grades(today=TODAY)
    body = api_for(clerk).get(f"/api/v1/sanctions/grades/{subject.pk}/").json()
    assert body["current"]["grade"] == "D"
    assert body["current"]["inspection_ratio"] == "30.00"
    assert len(body["history"]) == 1
    client.force_login(clerk)
    page = client.get(f"/staff/sanctions/grades/{subject.pk}/").content.decode()
    assert "失信" in page and "30" in page
    assert api_for(None).get(f"/api/v1/sanctions/grades/{subject.pk}/").status_code in (401, 403)


def test_credit_check_shows_grade_suggestion_and_commitments(api_for, clerk, model):
    subject = SubjectFactory()
    ListEntryFactory(subject=subject)
    CommitmentFactory(subject=subject, status=CommitmentStatus.BROKEN, evidence="未履行")
    CommitmentFactory(subject=subject)
    services.recompute_grades(today=TODAY)
    response = api_for(clerk).post(
        "/api/v1/sanctions/credit-checks/",
        {"matter": "government_procurement", "subjects": [subject.uscc]},
        format="json",
    )
    assert response.status_code in (200, 201), response.json()
    result = response.json()["results"][0]
    assert result["credit_grade"]["grade"] == "D"
    assert result["credit_grade"]["inspection_ratio"] == "30.00"
    assert result["commitments"] == {"broken": 1, "pending": 1}


def test_copying_a_version_gives_an_inactive_copy_with_its_grades(model):
    copy = services.copy_model_version(model=model)
    assert (copy.version, copy.is_active) == (2, False)
    assert sorted(copy.bands.values_list("symbol", flat=True)) == ["A", "B", "C", "D"]
    assert EvaluationModel.objects.in_force(today=TODAY) == model


def test_a_version_in_use_is_frozen_in_the_admin(client, administrator, model):
    services.recompute_subject_grade(subject=SubjectFactory(), today=TODAY)
    client.force_login(administrator)
    page = client.get(f"/admin/sanctions/evaluationmodel/{model.pk}/change/")
    assert page.status_code == 200
    assert 'name="base_score"' not in page.content.decode()
    assert client.get("/admin/sanctions/commitment/").status_code == 200


def test_benchmark_command_prints_both_timings(model):
    import io

    from django.core.management import call_command

    SubjectFactory.create_batch(3)
    out = io.StringIO()
    call_command("benchmark_grades", stdout=out)
    text = out.getvalue()
    assert "subjects graded: 3" in text and "ratio recompute / aggregate" in text
