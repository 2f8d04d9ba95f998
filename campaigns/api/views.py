"""Campaigns API: staff viewsets under /api/v1/campaigns/, public ones under /api/v1/public/ (DOMAIN §11)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal.api.parsers import JSONObjectParser
from credit_portal.api.permissions import ActionPermission

from .. import selectors, services
from ..filters import CampaignFilter, ComplaintFilter, LedgerTaskFilter, RoleModelFilter, StarMerchantFilter
from ..models import Campaign
from . import serializers


class MissingActionReportSerializer(drf_serializers.Serializer):
    """One (action, unit) pair without a monthly progress report."""

    action = drf_serializers.IntegerField(help_text=_("专项行动序号"))
    title = drf_serializers.CharField()
    department = drf_serializers.CharField(help_text=_("责任单位名称"))
    role = drf_serializers.CharField(help_text=_("牵头或参与"))


# --- Staff ------------------------------------------------------------------------------------------------------
@extend_schema(description=_("诚信宣传活动：列表、创建、发布和撤回发布。"))
class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Publicity campaigns: list, create, publish and unpublish (DOMAIN §9)."""

    serializer_class = serializers.CampaignSerializer
    filterset_class = CampaignFilter
    permission_classes = [ActionPermission]
    action_permissions = {
        "publish": "campaigns.publish_campaign",
        "unpublish": "campaigns.publish_campaign",
        "posts": "campaigns.add_campaignpost",
        "activities": "campaigns.add_campaignactivity",
    }

    def get_queryset(self):
        return selectors.campaigns_for_staff(user=self.request.user)

    @extend_schema(
        description=_("添加一条新闻稿；富文本在保存前经过清理。"),
        request=serializers.CampaignPostSerializer,
        responses=serializers.CampaignPostSerializer,
    )
    @action(detail=True, methods=["post"])
    def posts(self, request, pk=None):
        """Add a news post; its rich text is sanitised before it is stored."""
        serializer = serializers.CampaignPostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = services.add_campaign_post(by=request.user, campaign=self.get_object(), **serializer.validated_data)
        return Response(serializers.CampaignPostSerializer(post).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=_("参与或组织部门报送其开展的一项活动。"),
        request=serializers.CampaignActivitySerializer,
        responses=serializers.CampaignActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def activities(self, request, pk=None):
        """A participating or organising department reports an activity it held."""
        serializer = serializers.CampaignActivitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = services.report_campaign_activity(
            by=request.user, campaign=self.get_object(), **serializer.validated_data
        )
        return Response(serializers.CampaignActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        participating = data.pop("participating_departments", [])
        serializer.instance = services.create_campaign(
            by=self.request.user, participating_departments=participating, **data
        )

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        campaign = services.publish_campaign(campaign=self.get_object(), by=request.user)
        return Response(self.get_serializer(campaign).data)

    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        campaign = services.unpublish_campaign(campaign=self.get_object(), by=request.user)
        return Response(self.get_serializer(campaign).data)


@extend_schema(description=_("当前用户可见的专项治理行动；各单位在 `reports` 下报送月度进展。"))
class SpecialActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Special governance actions the user may see; units file monthly progress under ``reports``."""

    serializer_class = serializers.SpecialActionSerializer
    permission_classes = [ActionPermission]
    action_permissions = {"reports": "campaigns.view_actionreport", "missing": "campaigns.view_actionreport"}

    def get_queryset(self):
        return selectors.special_actions_for_staff(user=self.request.user)

    @extend_schema(request=serializers.ActionReportSerializer, responses=serializers.ActionReportSerializer)
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONObjectParser, MultiPartParser, FormParser])
    def reports(self, request, pk=None):
        special_action = self.get_object()
        if request.method == "GET":
            reports = selectors.action_reports_for_staff(user=request.user).filter(action=special_action)
            page = self.paginate_queryset(reports)
            return self.get_paginated_response(serializers.ActionReportSerializer(page, many=True).data)
        if not request.user.has_perm("campaigns.add_actionreport"):
            raise PermissionDenied()
        data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)  # multipart or JSON
        serializer = serializers.ActionReportSerializer(data={**data, "action": special_action.pk})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.submit_action_report(
            by=request.user,
            action=special_action,
            period=data["period"],
            text=data["text"],
            figures=data.get("figures"),
            attachment=data.get("attachment"),
        )
        return Response(serializers.ActionReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=_("`?period=YYYY-MM`（默认本月）尚未报送进展的（行动，单位）组合。"),
        parameters=[OpenApiParameter("period", str, description=_("月份 YYYY-MM；不填为本月"))],
        responses=MissingActionReportSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def missing(self, request):
        """(action, unit) pairs without a report for ``?period=YYYY-MM`` (default: this month)."""
        period = _parse_period(request.query_params.get("period"))
        rows = selectors.missing_action_reports(period=period)
        if not request.user.has_perm("campaigns.change_specialaction"):
            rows = rows.filter(department=request.user.department_id)
        page = self.paginate_queryset(rows)
        data = [
            {
                "action": row.action.number,
                "title": row.action.title,
                "department": row.department.name,
                "role": row.role,
            }
            for row in page
        ]
        return self.get_paginated_response(data)


def _parse_period(value: str | None):
    import datetime

    if value:
        try:
            return datetime.date.fromisoformat(value[:7] + "-01")
        except ValueError:
            pass
    return timezone.localdate().replace(day=1)


@extend_schema(description=_("工作台账：信用办可见全部任务，经办人员可见本部门的任务（其他任务返回 404）。"))
class LedgerTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """The task ledger: the office sees every task, a clerk the tasks of their department (404 otherwise)."""

    serializer_class = serializers.LedgerTaskSerializer
    filterset_class = LedgerTaskFilter
    permission_classes = [ActionPermission]
    action_permissions = {"reports": "campaigns.view_taskreport"}

    def get_queryset(self):
        return selectors.ledger_for_staff(user=self.request.user)

    @extend_schema(request=serializers.TaskReportSerializer, responses=serializers.TaskReportSerializer)
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            reports = selectors.task_reports_for_staff(user=request.user, task=task)
            page = self.paginate_queryset(reports)
            return self.get_paginated_response(serializers.TaskReportSerializer(page, many=True).data)
        if not request.user.has_perm("campaigns.add_taskreport"):
            raise PermissionDenied()
        serializer = serializers.TaskReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_task_progress(by=request.user, task=task, **serializer.validated_data)
        return Response(serializers.TaskReportSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema(description=_("投诉：信用办可见全部投诉并分派或驳回；部门可见并答复分派给本部门的投诉。"))
class ComplaintViewSet(viewsets.ReadOnlyModelViewSet):
    """Complaints: the office sees all and routes them; a department sees and answers its own."""

    serializer_class = serializers.ComplaintSerializer
    filterset_class = ComplaintFilter
    permission_classes = [ActionPermission]
    action_permissions = {
        "assign": "campaigns.assign_complaint",
        "reject": "campaigns.assign_complaint",
        "answer": "campaigns.answer_complaint",
    }

    def get_queryset(self):
        return selectors.complaints_for_staff(user=self.request.user)

    @extend_schema(request=serializers.AssignComplaintSerializer, responses=serializers.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        serializer = serializers.AssignComplaintSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.assign_complaint(
            by=request.user, complaint=self.get_object(), **serializer.validated_data
        )
        return Response(self.get_serializer(complaint).data)

    @extend_schema(request=serializers.RejectComplaintSerializer, responses=serializers.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = serializers.RejectComplaintSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.reject_complaint(
            by=request.user, complaint=self.get_object(), **serializer.validated_data
        )
        return Response(self.get_serializer(complaint).data)

    @extend_schema(request=serializers.AnswerComplaintSerializer, responses=serializers.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        serializer = serializers.AnswerComplaintSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.answer_complaint(
            by=request.user, complaint=self.get_object(), **serializer.validated_data
        )
        return Response(self.get_serializer(complaint).data)


@extend_schema(description=_("本部门的信用约谈记录，信用办可见全部。"))
class CreditTalkViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Credit talks of the user's department, or all for the office."""

    serializer_class = serializers.CreditTalkSerializer
    permission_classes = [ActionPermission]
    action_permissions = {"follow_up": "campaigns.change_credittalk"}

    def get_queryset(self):
        return selectors.credit_talks_for_staff(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        present = data.pop("departments_present", [])
        serializer.instance = services.record_credit_talk(by=self.request.user, departments_present=present, **data)

    @extend_schema(request=serializers.FollowUpSerializer, responses=serializers.CreditTalkSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        serializer = serializers.FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        talk = services.follow_up_credit_talk(by=request.user, talk=self.get_object(), **serializer.validated_data)
        return Response(self.get_serializer(talk).data)


# --- Public -----------------------------------------------------------------------------------------------------
class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []


@extend_schema(description=_("已发布的诚信宣传活动。"))
class PublicCampaignViewSet(PublicViewSet):
    """Published campaigns (DOMAIN §9)."""

    filterset_class = CampaignFilter
    queryset = selectors.public_campaigns()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PublicCampaignDetailSerializer
        return serializers.PublicCampaignSerializer

    def get_object(self):
        try:
            return selectors.public_campaign(pk=int(self.kwargs["pk"]))
        except (Campaign.DoesNotExist, ValueError):
            raise Http404 from None


@extend_schema(description=_("专项治理行动及其牵头单位和参与单位。"))
class PublicSpecialActionViewSet(PublicViewSet):
    """The special governance actions with their lead and participating units."""

    serializer_class = serializers.PublicSpecialActionSerializer
    queryset = selectors.public_special_actions()


@extend_schema(description=_("诚信典型；个人的名字打码显示。"))
class PublicRoleModelViewSet(PublicViewSet):
    """Integrity role models; people's given names are masked (DOMAIN §10)."""

    serializer_class = serializers.RoleModelSerializer
    filterset_class = RoleModelFilter
    queryset = selectors.public_role_models()


@extend_schema(description=_("星级诚信示范商户。"))
class PublicStarMerchantViewSet(PublicViewSet):
    """Star-rated honest merchants."""

    serializer_class = serializers.StarMerchantSerializer
    filterset_class = StarMerchantFilter
    queryset = selectors.public_star_merchants()


class ComplaintFilingThrottle(AnonRateThrottle):
    scope = "campaigns_complaints"

    def get_rate(self) -> str:
        return settings.CAMPAIGNS_COMPLAINT_RATE


class ComplaintTrackingThrottle(AnonRateThrottle):
    scope = "campaigns_complaint_tracking"

    def get_rate(self) -> str:
        return settings.CAMPAIGNS_TRACKING_RATE


@extend_schema(description=_("无需账号提交投诉，并凭查询编号跟踪办理情况。"))
class PublicComplaintViewSet(viewsets.GenericViewSet):
    """File a complaint without an account and follow it by tracking number (DOMAIN §1)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONObjectParser, MultiPartParser, FormParser]
    lookup_field = "tracking_number"
    lookup_value_regex = "[A-Za-z0-9]{6,24}"
    serializer_class = serializers.PublicComplaintSerializer

    def get_throttles(self):
        if self.action == "create":
            return [ComplaintFilingThrottle()]
        return [ComplaintTrackingThrottle()]

    @extend_schema(
        request=serializers.ComplaintFilingSerializer, responses={201: serializers.ComplaintReceiptSerializer}
    )
    def create(self, request):
        serializer = serializers.ComplaintFilingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.file_complaint(request=request, **serializer.validated_data)
        return Response(serializers.ComplaintReceiptSerializer(complaint).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, tracking_number=None):
        complaint = selectors.complaint_by_tracking_number(tracking_number=tracking_number)
        if complaint is None:
            raise Http404
        return Response(serializers.PublicComplaintSerializer(complaint).data)
