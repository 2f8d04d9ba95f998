"""API of the portal's top layer: report verification (public) and dashboard data (staff)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access

from .. import dashboards, forms, selectors


class VerifiedReportSerializer(serializers.Serializer):
    number = serializers.CharField()
    subject_name = serializers.CharField(help_text=_("自然人姓名经遮蔽"))
    uscc = serializers.CharField(allow_null=True)
    generated_at = serializers.DateTimeField()
    sha256 = serializers.CharField()


@extend_schema(
    description=_(
        "凭 `?number=…&code=…` 核验信用报告：返回报告编号、主体（自然人打码）、生成时间和 SHA-256 摘要，"
        "查无此报告时返回 404。"
    ),
    parameters=[OpenApiParameter("number", str, required=True), OpenApiParameter("code", str, required=True)],
    responses={200: VerifiedReportSerializer},
)
@api_view(["GET"])
@permission_classes([AllowAny])
def verify_report(request):
    """``?number=…&code=…`` → the report's number, subject (masked if a person) and time, or 404."""
    form = forms.VerifyForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    report = selectors.issued_report(number=form.cleaned_data["number"], code=form.cleaned_data["code"])
    if report is None:
        raise NotFound(_("未找到该报告，请核对报告编号和验证码。"))
    return Response(
        {
            "number": report.number,
            "subject_name": report.subject.public_name,
            "uscc": None if report.subject.is_natural_person else report.subject.uscc,
            "generated_at": timezone.localtime(report.generated_at).isoformat(),
            "sha256": report.sha256,
        }
    )


class ChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())


@extend_schema(
    description=_("当前用户权限范围内一个图表的数据表；`department`、`date_from`、`date_to` 与页面上的筛选相同。"),
    parameters=[
        OpenApiParameter("department", int),
        OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
        OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
    ],
    responses={200: ChartSerializer},
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def dashboard_data(request, key: str):
    """One chart's table for the user's scope; ``department``, ``date_from``, ``date_to`` as on the page."""
    if key not in dashboards.CHARTS or not access.is_staff_member(request.user):
        raise NotFound()
    form = forms.DashboardFilterForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise ValidationError(form.errors)
    data = form.cleaned_data
    today = timezone.localdate()
    department = request.user.department if access.is_clerk(request.user) else data.get("department")
    filters = dashboards.Filters(
        department=department,
        date_from=data.get("date_from") or today.replace(year=today.year - 1),
        date_to=data.get("date_to") or today,
    )
    chart = dashboards.CHARTS[key](user=request.user, filters=filters)
    return Response(ChartSerializer(chart).data)
