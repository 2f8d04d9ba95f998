"""/api/v1/public/grades/{uscc}/ and /api/v1/sanctions/grades/{subject_id}/: a subject's grade and its reasons."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from credit_portal.api.permissions import IsStaffMember
from registry import codes
from registry.models import Subject

from . import selectors


class GradeReasonOutput(serializers.Serializer):
    factor = serializers.CharField(help_text=_("评价模型的因子代码"))
    label = serializers.CharField(help_text=_("因子名称，使用请求的语言"))
    count = serializers.IntegerField(help_text=_("该因子计入的记录或名单条目数"))
    points = serializers.IntegerField(help_text=_("该因子加减的分数"))


class PublicGradeOutput(serializers.Serializer):
    subject_name = serializers.CharField()
    uscc = serializers.CharField()
    grade = serializers.CharField(help_text=_("等级符号（预置模型为 A/B/C/D）"))
    meaning = serializers.CharField()
    score = serializers.IntegerField()
    model_version = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    reasons = GradeReasonOutput(many=True)


class GradeSummaryOutput(PublicGradeOutput):
    subject_name = None
    uscc = None
    inspection_ratio = serializers.CharField(allow_null=True, help_text=_("抽查比例，以十进制字符串表示"))
    supervision_suggestion = serializers.CharField()


class GradeHistoryOutput(serializers.Serializer):
    grade = serializers.CharField()
    score = serializers.IntegerField()
    model_version = serializers.IntegerField()
    computed_at = serializers.DateTimeField()


class StaffGradeOutput(serializers.Serializer):
    subject_name = serializers.CharField()
    uscc = serializers.CharField(allow_null=True)
    current = GradeSummaryOutput(allow_null=True)
    history = GradeHistoryOutput(many=True)


@extend_schema(description=_("有统一社会信用代码的主体的公开信用等级：仅根据公开记录计算。"))
class PublicGradeView(APIView):
    """The public grade of a subject with a credit code: computed from public records only (issue 11)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=PublicGradeOutput)
    def get(self, request, uscc: str):
        subject = get_object_or_404(Subject.objects.only("pk", "name", "uscc", "category"), uscc=codes.normalise(uscc))
        grade = selectors.grade_of_subject(subject_id=subject.pk)
        if grade is None:
            raise Http404
        data = selectors.summary(grade)
        data.pop("inspection_ratio")  # a supervision suggestion is for departments, not the public
        data.pop("supervision_suggestion")
        return Response({"subject_name": subject.public_name, "uscc": subject.uscc, **data})


@extend_schema(description=_("供各部门查看的主体信用等级，附监管建议和等级历史。"))
class StaffGradeView(APIView):
    """A subject's grade with the supervision suggestion and the grade history, for departments."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses=StaffGradeOutput)
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
