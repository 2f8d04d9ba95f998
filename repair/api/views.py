"""Repair API: public filing and tracking (no account), the credit office's review queue and steps (DOMAIN §8, §11)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.api.parsers import JSONObjectParser
from credit_portal.api.permissions import IsStaffMember
from credit_portal.errors import NotFound

from .. import selectors, services
from ..filters import ApplicationFilter
from . import serializers


class FilingThrottle(AnonRateThrottle):
    scope = "repair_filing"

    def get_rate(self) -> str:
        return getattr(settings, "REPAIR_FILING_RATE", "20/hour")


class TrackingThrottle(AnonRateThrottle):
    scope = "repair_tracking"

    def get_rate(self) -> str:
        return getattr(settings, "REPAIR_TRACKING_RATE", "30/min")


def _files(request, data: dict) -> dict:
    if hasattr(request.data, "getlist"):
        data["materials"] = request.FILES.getlist("materials")
    return data


@extend_schema(description=_("提交信用修复申请或异议申诉、跟踪办理情况、上传要求补正的材料（无需账号）。"))
class PublicApplicationViewSet(viewsets.GenericViewSet):
    """File a repair or objection application, follow it, upload requested materials (DOMAIN §8)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    parser_classes = [MultiPartParser, FormParser, JSONObjectParser]
    serializer_class = serializers.PublicApplicationSerializer

    def get_throttles(self):
        return [FilingThrottle()] if self.action == "create" else [TrackingThrottle()]

    @extend_schema(request=serializers.FilingSerializer, responses=serializers.PublicApplicationSerializer)
    def create(self, request):
        data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        serializer = serializers.FilingSerializer(data=_files(request, data))
        serializer.is_valid(raise_exception=True)
        application = services.file_application(request=request, **serializer.validated_data)
        return Response(serializers.PublicApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=_("凭查询编号和联系方式查看办理状态和步骤；联系方式不符与编号错误一样返回 404。"),
        request=serializers.TrackingSerializer,
        responses=serializers.PublicApplicationSerializer,
    )
    @action(detail=False, methods=["post"])
    def track(self, request):
        """Status and steps by tracking number + contact; a wrong contact is the same 404 as a wrong number."""
        serializer = serializers.TrackingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = selectors.application_for_applicant(**serializer.validated_data)
        if application is None:
            raise NotFound()
        return Response(serializers.PublicApplicationSerializer(application).data)

    @extend_schema(
        description=_("上传要求补正的材料；办理时限恢复计算。"),
        request=serializers.SupplementSerializer,
        responses=serializers.PublicApplicationSerializer,
    )
    @action(detail=False, methods=["post"])
    def supplement(self, request):
        """Upload the requested materials; the clock resumes."""
        data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        serializer = serializers.SupplementSerializer(data=_files(request, data))
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        application = selectors.application_for_applicant(
            tracking_number=values["tracking_number"], contact=values["contact"]
        )
        if application is None:
            raise NotFound()
        services.supplement_materials(
            application=application, contact=values["contact"], materials=values["materials"], note=values["note"]
        )
        application = selectors.application_for_applicant(
            tracking_number=values["tracking_number"], contact=values["contact"]
        )
        return Response(serializers.PublicApplicationSerializer(application).data)


@extend_schema(description=_("审核队列（审核人员可见全部，经办人员可见本部门的），每个办理步骤一个接口。"))
class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """The review queue (reviewers: all; clerks: their department's) and one endpoint per step."""

    serializer_class = serializers.StaffApplicationSerializer
    filterset_class = ApplicationFilter
    permission_classes = [IsStaffMember]

    def get_queryset(self):
        return selectors.applications_for_staff(user=self.request.user)

    def _step(self, request, service, serializer_class=None, rename: dict | None = None):
        kwargs = {}
        if serializer_class is not None:
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            kwargs = dict(serializer.validated_data)
            for old, new in (rename or {}).items():
                kwargs[new] = kwargs.pop(old)
        application = service(application=self.get_object(), by=request.user, **kwargs)
        return Response(
            serializers.StaffApplicationSerializer(application, context=self.get_serializer_context()).data
        )

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(request, services.accept_application)

    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        return self._step(request, services.route_objection)

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.StaffApplicationSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._step(request, services.refuse_application, serializers.ReasonSerializer)

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.StaffApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="request-materials")
    def request_materials(self, request, pk=None):
        return self._step(request, services.request_materials, serializers.ReasonSerializer, {"reason": "note"})

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.StaffApplicationSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(request, services.extend_time_limit, serializers.ReasonSerializer)

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.StaffApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, services.approve_repair, serializers.ReasonSerializer)

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.StaffApplicationSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        return self._step(request, services.deny_repair, serializers.ReasonSerializer)

    @extend_schema(request=serializers.AnswerSerializer, responses=serializers.StaffApplicationSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(request, services.answer_objection, serializers.AnswerSerializer)

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.StaffApplicationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(request, services.close_objection, serializers.ReasonSerializer)

    @extend_schema(description=_("按类型和结果统计、办理时长中位数、按时办结比例：仅限信用办。"))
    @action(detail=False, methods=["get"])
    def statistics(self, request):
        """By kind and outcome, median handling time, share within limits: the credit office only."""
        if access.role_of(request.user) not in (access.Role.REVIEWER, access.Role.ADMIN):
            raise NotFound()
        return Response(selectors.statistics_for_office())
