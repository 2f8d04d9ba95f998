"""API of government integrity: the office files records and assessments; the public sees the fixed summary."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.errors import PermissionDenied
from registry.models import Department, Subject

from ..models import GovernmentRecord, IntegrityAssessment
from . import selectors, services
from .choices import AssessmentStatus, GovernmentRecordKind


class GovernmentRecordInput(serializers.Serializer):
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.all())
    kind = serializers.ChoiceField(choices=GovernmentRecordKind.choices)
    description = serializers.CharField()
    occurred_date = serializers.DateField()


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class AssessmentInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    items = serializers.ListField(child=serializers.DictField(), allow_empty=False)
    remarks = serializers.CharField(required=False, allow_blank=True, default="")


class GovernmentRecordOutput(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField(help_text=_("机关名称"))
    uscc = serializers.CharField(allow_null=True)
    kind = serializers.ChoiceField(choices=GovernmentRecordKind.choices)
    occurred_date = serializers.DateField()
    is_public = serializers.BooleanField()


class CreatedOutput(serializers.Serializer):
    id = serializers.IntegerField()


class PublishedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    is_public = serializers.BooleanField()


class RankingRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rank = serializers.IntegerField()
    department = serializers.CharField()
    score = serializers.CharField(help_text=_("得分，以十进制字符串表示"))
    status = serializers.ChoiceField(choices=AssessmentStatus.choices)
    remarks = serializers.CharField()
    items = serializers.ListField(child=serializers.DictField())


class RankingOutput(serializers.Serializer):
    year = serializers.IntegerField()
    ranking = RankingRowOutput(many=True)


class AssessmentCreatedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.CharField()


class AssessmentFinalisedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AssessmentStatus.choices)


class PublicRankingRowOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    department = serializers.CharField()
    score = serializers.CharField()


class DishonestAgencyOutput(serializers.Serializer):
    name = serializers.CharField()
    uscc = serializers.CharField(allow_null=True)
    record_count = serializers.IntegerField()


class PublicIntegritySummaryOutput(serializers.Serializer):
    year = serializers.IntegerField()
    ranking = PublicRankingRowOutput(many=True)
    dishonest_agencies = DishonestAgencyOutput(many=True)


def _office_only(request) -> None:
    if not access.sees_all_departments(request.user):
        raise PermissionDenied()


@extend_schema(description=_("POST：登记政务失信记录；GET：最近的记录（最多 200 条）。仅限信用办。"))
class GovernmentRecordView(APIView):
    """POST: file an agency's dishonesty record; GET: the records (credit office only)."""

    @extend_schema(responses=GovernmentRecordOutput(many=True))
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

    @extend_schema(request=GovernmentRecordInput, responses={201: CreatedOutput})
    def post(self, request):
        _office_only(request)
        data = GovernmentRecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.file_government_record(by=request.user, **data.validated_data)
        return Response({"id": record.pk}, status=status.HTTP_201_CREATED)


@extend_schema(description=_("公开一条政务失信记录（仅限信用办）。"))
class GovernmentRecordPublishView(APIView):
    @extend_schema(request=None, responses=PublishedOutput)
    def post(self, request, pk: int):
        _office_only(request)
        record = services.publish_government_record(record=get_object_or_404(GovernmentRecord, pk=pk), by=request.user)
        return Response({"id": record.pk, "is_public": record.is_public})


@extend_schema(description=_("POST：登记或修改部门的年度考核（草稿期间）；GET `?year=`：年度排名。仅限信用办。"))
class AssessmentView(APIView):
    """POST: record or revise a department's yearly assessment; GET ?year=: the ranking (credit office only)."""

    @extend_schema(parameters=[YearQuery], responses=RankingOutput)
    def get(self, request):
        _office_only(request)
        year = YearQuery(data={"year": request.query_params.get("year") or timezone.localdate().year})
        year.is_valid(raise_exception=True)
        year = year.validated_data["year"]
        return Response({"year": year, "ranking": selectors.ranking(year=year)})

    @extend_schema(request=AssessmentInput, responses={201: AssessmentCreatedOutput})
    def post(self, request):
        _office_only(request)
        data = AssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.record_assessment(by=request.user, **data.validated_data)
        return Response({"id": assessment.pk, "score": str(assessment.score)}, status=status.HTTP_201_CREATED)


@extend_schema(description=_("确定一份年度考核，此后计入公开的年度汇总（仅限信用办）。"))
class AssessmentFinaliseView(APIView):
    @extend_schema(request=None, responses=AssessmentFinalisedOutput)
    def post(self, request, pk: int):
        _office_only(request)
        assessment = services.finalise_assessment(
            assessment=get_object_or_404(IntegrityAssessment, pk=pk), by=request.user
        )
        return Response({"id": assessment.pk, "status": assessment.status})


@extend_schema(description=_("某年度的公开汇总：已确定的排名和有公开失信记录的机关。"))
class PublicIntegritySummaryView(APIView):
    """The public summary of a year: fixed ranking and agencies with public dishonesty records."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=PublicIntegritySummaryOutput)
    def get(self, request, year: int):
        return Response(selectors.public_summary(year=year))
