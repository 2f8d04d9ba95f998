"""API of government integrity: the office files records and assessments; the public sees the fixed summary."""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.shortcuts import get_object_or_404
from django.utils import timezone

from credit_portal import access
from credit_portal.errors import PermissionDenied
from registry.models import Department, Subject

from ..models import GovernmentRecord, IntegrityAssessment
from . import selectors, services
from .choices import GovernmentRecordKind


class GovernmentRecordInput(serializers.Serializer):
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.all())
    kind = serializers.ChoiceField(choices=GovernmentRecordKind.choices)
    description = serializers.CharField()
    occurred_date = serializers.DateField()


class AssessmentInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    items = serializers.ListField(child=serializers.DictField(), allow_empty=False)
    remarks = serializers.CharField(required=False, allow_blank=True, default="")


def _office_only(request) -> None:
    if not access.sees_all_departments(request.user):
        raise PermissionDenied()


class GovernmentRecordView(APIView):
    """POST: file an agency's dishonesty record; GET: the records (credit office only)."""

    def get(self, request):
        _office_only(request)
        rows = GovernmentRecord.objects.select_related("subject").order_by("-occurred_date", "-pk")[:200]
        return Response(
            [
                {
                    "id": r.pk,
                    "subject": r.subject.name,
                    "uscc": r.subject.uscc,
                    "kind": r.kind,
                    "occurred_date": r.occurred_date,
                    "is_public": r.is_public,
                }
                for r in rows
            ]
        )

    def post(self, request):
        _office_only(request)
        data = GovernmentRecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.file_government_record(by=request.user, **data.validated_data)
        return Response({"id": record.pk}, status=status.HTTP_201_CREATED)


class GovernmentRecordPublishView(APIView):
    def post(self, request, pk: int):
        _office_only(request)
        record = services.publish_government_record(record=get_object_or_404(GovernmentRecord, pk=pk), by=request.user)
        return Response({"id": record.pk, "is_public": record.is_public})


class AssessmentView(APIView):
    """POST: record or revise a department's yearly assessment; GET ?year=: the ranking (credit office only)."""

    def get(self, request):
        _office_only(request)
        year = int(request.query_params.get("year") or timezone.localdate().year)
        return Response({"year": year, "ranking": selectors.ranking(year=year)})

    def post(self, request):
        _office_only(request)
        data = AssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.record_assessment(by=request.user, **data.validated_data)
        return Response({"id": assessment.pk, "score": str(assessment.score)}, status=status.HTTP_201_CREATED)


class AssessmentFinaliseView(APIView):
    def post(self, request, pk: int):
        _office_only(request)
        assessment = services.finalise_assessment(
            assessment=get_object_or_404(IntegrityAssessment, pk=pk), by=request.user
        )
        return Response({"id": assessment.pk, "status": assessment.status})


class PublicIntegritySummaryView(APIView):
    """The public summary of a year: fixed ranking and agencies with public dishonesty records."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request, year: int):
        return Response(selectors.public_summary(year=year))
