"""Clerks' record API: list, file, correct, publish, withdraw (DOMAIN §11); every write is one service call."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from credit_portal.api.permissions import ActionPermission, IsStaffMember
from credit_portal.errors import DomainError, PermissionDenied, ValidationFailed
from disclosure import selectors, services
from disclosure.choices import RecordKind
from disclosure.filters import StaffLicensingFilter, StaffPenaltyFilter

from .serializers import (
    DepartmentComplianceSerializer,
    LicensingSerializer,
    PenaltySerializer,
    RevocationSerializer,
    WithdrawSerializer,
)


class RecordViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Shared behaviour; records are withdrawn, never deleted."""

    kind: str
    http_method_names = ["get", "post", "put", "patch", "head", "options"]  # records are withdrawn, never deleted
    permission_classes = [ActionPermission]

    def get_queryset(self):
        return selectors.records_for_staff(user=self.request.user, kind=self.kind).order_by("-decision_date", "-pk")

    def _service(self, verb: str):
        return getattr(services, f"{verb}_{self.kind}")

    def perform_create(self, serializer):
        user = self.request.user
        if user.department is None:
            raise PermissionDenied()
        serializer.instance = self._service("file")(
            by=user, department=user.department, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        reason = str(self.request.data.get("reason", "")) if hasattr(self.request.data, "get") else ""
        serializer.instance = self._service("correct")(
            **{self.kind: serializer.instance}, by=self.request.user, changes=changes, reason=reason
        )

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        record = self._service("publish")(**{self.kind: self.get_object()}, by=request.user)
        return Response(self.get_serializer(record).data)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        record = self.get_object()
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = self._service("withdraw")(
            **{self.kind: record},
            by=request.user,
            reason=body.validated_data["reason"],
            document=body.validated_data["document"],
            revoked_on=body.validated_data.get("revoked_on"),
        )
        return Response(self.get_serializer(record).data)

    @action(detail=True, methods=["post"])
    def revocation(self, request, pk=None):
        record = self.get_object()
        body = RevocationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = getattr(services, f"note_{self.kind}_revocation")(
            **{self.kind: record}, by=request.user, revoked_on=body.validated_data["revoked_on"]
        )
        return Response(self.get_serializer(record).data)


_schema = {
    "revocation": extend_schema(
        request=RevocationSerializer, summary=_("登记决定被撤销或变更（3个工作日内撤销或更正）")
    ),
    "publish": extend_schema(request=None, summary=_("公示记录（写入上报队列）")),
    "withdraw": extend_schema(request=WithdrawSerializer, summary=_("撤销记录（原因与依据文书）")),
    "update": extend_schema(summary=_("更正记录：草稿直接修改，已公示记录生成新版本")),
    "partial_update": extend_schema(summary=_("更正记录（部分字段）")),
    "create": extend_schema(summary=_("填报记录；同部门同文书号的再次填报更新原记录")),
}


@extend_schema(description=_("经办人员所在部门的行政许可记录（信用办可见全部部门）。"))
@extend_schema_view(**_schema)
class LicensingViewSet(RecordViewSet):
    """Administrative licensing records of the clerk's department (all departments for the credit office)."""

    kind = RecordKind.LICENSING
    serializer_class = LicensingSerializer
    filterset_class = StaffLicensingFilter
    action_permissions = {
        "publish": "disclosure.publish_licensing",
        "withdraw": "disclosure.withdraw_licensing",
        "revocation": "disclosure.withdraw_licensing",
    }


@extend_schema(description=_("经办人员所在部门的行政处罚记录（信用办可见全部部门）。"))
@extend_schema_view(**_schema)
class PenaltyViewSet(RecordViewSet):
    """Administrative penalty records of the clerk's department (all departments for the credit office)."""

    kind = RecordKind.PENALTY
    serializer_class = PenaltySerializer
    filterset_class = StaffPenaltyFilter
    action_permissions = {
        "publish": "disclosure.publish_penalty",
        "withdraw": "disclosure.withdraw_penalty",
        "revocation": "disclosure.withdraw_penalty",
    }


@extend_schema(description=_("各部门的合规率，即统计看板上的数字（经办人员看本部门，信用办看全部部门）。"))
class ComplianceView(APIView):
    """Compliance rate per department: the dashboard's figures (a clerk's own department; all for the credit office)."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", str, description=_("决定日期自 YYYY-MM-DD")),
            OpenApiParameter("date_to", str, description=_("决定日期至 YYYY-MM-DD")),
        ],
        # The answer is {"results": [...]} (clients read "results"), and the schema says so.
        responses=inline_serializer(
            "DepartmentComplianceList", fields={"results": DepartmentComplianceSerializer(many=True)}
        ),
    )
    def get(self, request):
        rows = selectors.compliance_by_department(
            user=request.user,
            date_from=_date_param(request, "date_from"),
            date_to=_date_param(request, "date_to"),
        )
        return Response({"results": [row.as_dict() for row in rows]})


def _date_param(request, name: str):
    try:
        return parse_date(request.query_params.get(name) or "")
    except ValueError:
        raise ValidationFailed(
            [DomainError(_("请按 YYYY-MM-DD 填写日期。"), code="invalid_date", field=name)]
        ) from None
