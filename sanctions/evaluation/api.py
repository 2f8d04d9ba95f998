"""/api/v1/public/grades/{uscc}/ and /api/v1/sanctions/grades/{subject_id}/: a subject's grade and its reasons."""

from __future__ import annotations

from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.http import Http404
from django.shortcuts import get_object_or_404

from credit_portal.api.permissions import IsStaffMember
from registry import codes
from registry.models import Subject

from . import selectors


class PublicGradeView(APIView):
    """The public grade of a subject with a credit code: computed from public records only (issue 11)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request, uscc: str):
        subject = get_object_or_404(Subject.objects.only("pk", "name", "uscc", "category"), uscc=codes.normalise(uscc))
        grade = selectors.grade_of_subject(subject_id=subject.pk)
        if grade is None:
            raise Http404
        data = selectors.summary(grade)
        data.pop("inspection_ratio")  # a supervision suggestion is for departments, not the public
        data.pop("supervision_suggestion")
        return Response({"subject_name": subject.public_name, "uscc": subject.uscc, **data})


class StaffGradeView(APIView):
    """A subject's grade with the supervision suggestion and the grade history, for departments."""

    permission_classes = [IsStaffMember]

    def get(self, request, subject_id: int):
        subject = get_object_or_404(Subject, pk=subject_id)
        grade = selectors.grade_of_subject(subject_id=subject.pk)
        history = [
            {
                "grade": row.grade,
                "score": row.score,
                "model_version": row.model.version,
                "computed_at": row.computed_at,
            }
            for row in selectors.grade_history(subject_id=subject.pk)
        ]
        return Response(
            {
                "subject_name": subject.name,
                "uscc": subject.uscc,
                "current": selectors.summary(grade),
                "history": history,
            }
        )
