"""Staff page of the public credit evaluation: a subject's grade, reasons, suggestion and history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from credit_portal import access
from registry.models import Subject

from . import selectors


@login_required
def subject_grade(request: HttpRequest, subject_id: int) -> HttpResponse:
    """公共信用综合评价: the grade, the reasons that produced it, the supervision suggestion, the history."""
    if not access.is_staff_member(request.user):
        raise DjangoPermissionDenied
    subject = get_object_or_404(Subject, pk=subject_id)
    grade = selectors.grade_of_subject(subject_id=subject.pk)
    return render(
        request,
        "sanctions/evaluation/subject_grade.html",
        {
            "subject": subject,
            "grade": grade,
            "band": selectors.band_of(grade) if grade else None,
            "reasons": selectors.labelled_reasons(grade) if grade else [],
            "history": selectors.grade_history(subject_id=subject.pk)[:50],
        },
    )
