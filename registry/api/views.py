"""Registry API: code check and departments for everyone; subjects and the code-quality report for staff."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.api.permissions import ActionPermission

from .. import codes, selectors, services
from ..filters import SubjectFilter
from . import serializers


class CodeCheckThrottle(AnonRateThrottle):
    rate = "120/min"


@extend_schema(description=_("按 GB 32100 的全部规则校验统一社会信用代码。"))
class ValidateCodeView(APIView):
    """Check a unified social credit code against every GB 32100 rule (DOMAIN §2, §11)."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [CodeCheckThrottle]

    @extend_schema(
        request=serializers.ValidateCodeInputSerializer,
        responses=serializers.ValidateCodeResultSerializer,
        summary=_("统一社会信用代码校验"),
    )
    def post(self, request):
        serializer = serializers.ValidateCodeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check = codes.validate_uscc(serializer.validated_data["code"])
        return Response(
            {
                "valid": check.valid,
                "code": check.code,
                "errors": [error.as_dict() for error in check.errors],
                "expected_check_digit": check.expected_check_digit,
            }
        )


@extend_schema(description=_("在用的部门（记录的来源）及其代码；公开接口。"))
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Active departments (the sources of records) with their codes; public (DOMAIN §11)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.DepartmentSerializer
    pagination_class = None  # a district has a few dozen departments
    filter_backends: list = []
    queryset = selectors.public_departments()

    def get_queryset(self):
        return selectors.public_departments()


@extend_schema(
    description=_(
        "工作人员查询、登记和更正主体；证件号码打码显示，完整号码只能通过 `reveal-id` 查看（记录查询日志）。"
    )
)
class SubjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff: search, register and correct subjects; ID numbers masked, the clear one only by reveal-id (logged)."""

    serializer_class = serializers.SubjectSerializer
    filterset_class = SubjectFilter
    permission_classes = [ActionPermission]
    action_permissions = {"reveal_id": "registry.view_subject"}
    queryset = selectors.subjects_for_staff(None)

    def get_queryset(self):
        return selectors.subjects_for_staff(self.request.user)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.SubjectUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = {key: value or "" for key, value in serializer.validated_data.items()}
        serializer.instance = services.resolve_subject(by=self.request.user, **data)

    def perform_update(self, serializer):
        changes = {key: value or "" for key, value in serializer.validated_data.items()}
        serializer.instance = services.update_subject(subject=serializer.instance, by=self.request.user, **changes)

    @extend_schema(
        request=serializers.RevealIdInputSerializer,
        responses=serializers.RevealIdResultSerializer,
        summary=_("查看完整证件号码（记录查询日志）"),
    )
    @action(detail=True, methods=["post"], url_path="reveal-id")
    def reveal_id(self, request, pk=None):
        input_serializer = serializers.RevealIdInputSerializer(data=request.data)
        input_serializer.is_valid(raise_exception=True)
        number = services.reveal_id_number(
            subject=self.get_object(),
            by=request.user,
            reason=input_serializer.validated_data["reason"],
            request=request,
        )
        return Response({"id_number": number})


class IsReviewerOrAdmin(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return access.sees_all_departments(request.user)


@extend_schema(description=_("各部门错码、重码的比率，供信用办和管理员查看。"))
class CodeQualityView(APIView):
    """Rate of wrong or duplicate codes per department (DOMAIN §2): for the credit office and administrators."""

    permission_classes = [IsReviewerOrAdmin]

    @extend_schema(responses=serializers.CodeQualitySerializer(many=True), summary=_("各部门重错码率"))
    def get(self, request):
        rows = selectors.code_quality_by_department()
        return Response(serializers.CodeQualitySerializer(rows, many=True).data)
