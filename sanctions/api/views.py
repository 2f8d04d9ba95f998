"""Staff API of the sanctions app (DOMAIN §11): list entries with workflow actions, catalogue, credit checks."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.api.permissions import ActionPermission, IsStaffMember
from registry import services as registry_services
from registry.choices import SubjectCategory
from registry.models import Subject

from .. import selectors, services
from ..choices import BusinessMatter, CheckItemStatus, CheckSource
from ..filters import StaffListEntryFilter
from ..models import CreditCheck, ListType, Measure
from . import serializers as s


@extend_schema(description=_("名单类型及其依据和规则（管理员在管理后台维护）。"))
class ListTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """List types with their basis and rules (administrators edit them in the admin)."""

    serializer_class = s.ListTypeSerializer
    permission_classes = [IsStaffMember]
    queryset = ListType.objects.prefetch_related("measures").order_by("color", "name")


@extend_schema(description=_("联合奖惩措施目录。"))
class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """The joint measure catalogue (DOMAIN §7)."""

    serializer_class = s.MeasureSerializer
    permission_classes = [IsStaffMember]
    queryset = Measure.objects.prefetch_related("list_types").order_by("code")


@extend_schema(description=_("红黑名单条目：经办人员提出列入、送达告知并记录陈述申辩，由信用办作出决定。"))
class ListEntryViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List entries: a clerk proposes, serves notice and records statements; the credit office decides (DOMAIN §6)."""

    serializer_class = s.ListEntrySerializer
    filterset_class = StaffListEntryFilter
    permission_classes = [ActionPermission]
    action_permissions = {
        "serve_notice": "sanctions.change_listentry",
        "record_statement": "sanctions.change_listentry",
        "decide": "sanctions.decide_listentry",
        "reject": "sanctions.decide_listentry",
        "start_public_notice": "sanctions.decide_listentry",
        "publish": "sanctions.publish_listentry",
        "remove": "sanctions.remove_listentry",
    }

    def get_queryset(self):
        queryset = selectors.list_entries_for_staff(user=self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("steps__by")
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return ListEntryListSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        if data.get("subject_id"):
            subject = get_object_or_404(Subject, pk=data["subject_id"])
        else:
            subject_block = data.get("subject", {})
            subject = registry_services.resolve_subject(
                by=user,
                category=data.get("subject_category") or SubjectCategory.LEGAL_ENTITY,
                name=subject_block.get("name", ""),
                uscc=subject_block.get("uscc") or "",
                legal_representative=data.get("legal_representative", ""),
                id_type=data.get("id_type", ""),
                id_number=data.get("id_number", ""),
            )
        serializer.instance = services.propose_listing(
            by=user,
            department=user.department,
            list_type=data["list_type"],
            subject=subject,
            reason=data["reason"],
            facts=data.get("facts", ""),
        )

    def _act(self, request, input_serializer, service, **extra):
        params = input_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        entry = service(entry=self.get_object(), by=request.user, **params.validated_data, **extra)
        entry = self.get_queryset().prefetch_related("steps__by").get(pk=entry.pk)
        return Response(s.ListEntrySerializer(entry).data)

    @extend_schema(request=s.ServeNoticeSerializer, responses=s.ListEntrySerializer)
    @action(detail=True, methods=["post"], url_path="serve-notice")
    def serve_notice(self, request, pk=None):
        return self._act(request, s.ServeNoticeSerializer, services.serve_notice)

    @extend_schema(request=s.StatementSerializer, responses=s.ListEntrySerializer)
    @action(detail=True, methods=["post"], url_path="record-statement")
    def record_statement(self, request, pk=None):
        return self._act(request, s.StatementSerializer, services.record_statement)

    @extend_schema(request=s.DecideSerializer, responses=s.ListEntrySerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._act(request, s.DecideSerializer, services.decide_listing)

    @extend_schema(request=s.RejectSerializer, responses=s.ListEntrySerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(request, s.RejectSerializer, services.reject_listing)

    @extend_schema(request=s.PublicNoticeSerializer, responses=s.ListEntrySerializer)
    @action(detail=True, methods=["post"], url_path="start-public-notice")
    def start_public_notice(self, request, pk=None):
        return self._act(request, s.PublicNoticeSerializer, services.start_public_notice)

    @extend_schema(request=s.PublishSerializer, responses=s.ListEntrySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(request, s.PublishSerializer, services.publish_listing)

    @extend_schema(request=s.RemoveSerializer, responses=s.ListEntrySerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        return self._act(request, s.RemoveSerializer, services.remove_listing)


class ListEntryListSerializer(s.ListEntrySerializer):
    """The list view leaves the steps out (they are on the detail)."""

    class Meta(s.ListEntrySerializer.Meta):
        fields = [name for name in s.ListEntrySerializer.Meta.fields if name != "steps"]


def check_answer(check: CreditCheck, results: list[dict]) -> dict:
    """The answer of a check: one result per subject, in the order given (DOMAIN §11)."""
    return {
        "id": check.pk,
        "checked_at": check.at,
        "matter": s.labelled(BusinessMatter, check.matter),
        "department": check.department.name if check.department_id else None,
        "count": len(results),
        "hit_count": check.hit_count,
        "unknown_count": check.unknown_count,
        "invalid_count": check.invalid_count,
        "results": [
            {
                "position": result["position"],
                "query": result["query"],
                "item_id": result.get("item_id"),
                "status": result["status"],
                "found": result["status"] == CheckItemStatus.FOUND,
                "subject": result["subject"],
                "errors": result["errors"],
                "has_hits": result["has_hits"],
                "list_hits": result["list_hits"],
                "penalties": result["penalties"],
                "measures": result["measures"],
                "credit_grade": result.get("credit_grade"),  # issue 11
                "commitments": result.get("commitments", {}),
            }
            for result in results
        ],
    }


@extend_schema(description=_("信用核查：发起核查、查看历史和单次核查、记录反馈、统计。"))
class CreditCheckViewSet(viewsets.GenericViewSet):
    """Credit checks: run one, list history, see one, record feedback, statistics (DOMAIN §7)."""

    serializer_class = s.CreditCheckSerializer
    permission_classes = [ActionPermission]
    queryset = CreditCheck.objects.none()
    action_permissions = {
        "feedback": "sanctions.add_measurefeedback",
        "statistics": "sanctions.view_measurefeedback",
    }

    def get_queryset(self):
        return selectors.credit_checks_for(user=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.CreditCheckSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        check = self.get_object()
        items = selectors.check_items(check=check)
        data = s.CreditCheckSerializer(check).data
        data["items"] = [
            {
                "item_id": item.pk,
                "position": item.position,
                "query": item.query,
                "status": item.status,
                "has_hits": item.has_hits,
                "result": item.result,
                "feedback": [
                    {"measure": row.measure_id, "outcome": row.outcome, "reason": row.reason}
                    for row in item.feedback.all()
                ],
            }
            for item in items
        ]
        return Response(data)

    @extend_schema(request=s.CreditCheckRequestSerializer)
    def create(self, request):
        params = s.CreditCheckRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        check, results = services.run_credit_check(
            by=request.user,
            matter=params.validated_data["matter"],
            codes=params.validated_data["subjects"],
            purpose=params.validated_data["purpose"],
            source=CheckSource.API,
        )
        return Response(check_answer(check, results), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FeedbackRequestSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        params = s.FeedbackRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        rows = services.record_feedback(check=self.get_object(), by=request.user, rows=params.validated_data["items"])
        return Response(
            {
                "recorded": len(rows),
                "items": [
                    {"item": row.item_id, "measure": row.measure_id, "outcome": row.outcome, "reason": row.reason}
                    for row in rows
                ],
            }
        )

    @action(detail=False, methods=["get"])
    def statistics(self, request):
        access.require_role(request.user, access.Role.REVIEWER, access.Role.ADMIN)
        return Response(selectors.feedback_statistics(user=request.user))
