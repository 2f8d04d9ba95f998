"""Staff and public API of credit commitments (/api/v1/sanctions/commitments/, /api/v1/public/commitments/)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from django.utils.translation import gettext_lazy as _

from credit_portal.api.permissions import ActionPermission
from registry import codes
from registry.models import Subject

from ..models import Commitment, ListType
from . import selectors, services


class CommitmentSerializer(serializers.ModelSerializer):
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.all())
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    uscc = serializers.CharField(source="subject.uscc", read_only=True, default="")
    department_name = serializers.CharField(source="department.name", read_only=True)
    commitment_type_display = serializers.CharField(source="get_commitment_type_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "subject",
            "subject_name",
            "uscc",
            "department",
            "department_name",
            "commitment_type",
            "commitment_type_display",
            "matter",
            "text",
            "commitment_date",
            "fulfil_by",
            "status",
            "status_display",
            "evidence",
            "resolved_date",
            "is_overdue",
            "list_entry",
        ]
        read_only_fields = ["department", "status", "evidence", "resolved_date", "is_overdue", "list_entry"]


class ResolutionSerializer(serializers.Serializer):
    evidence = serializers.CharField(allow_blank=True)
    resolved_date = serializers.DateField(required=False, allow_null=True)


class ListingSerializer(serializers.Serializer):
    list_type = serializers.PrimaryKeyRelatedField(queryset=ListType.objects.active())


class PublicCommitmentSerializer(serializers.ModelSerializer):
    subject_name = serializers.CharField(source="subject.public_name", read_only=True)
    uscc = serializers.CharField(source="subject.uscc", read_only=True, default="")
    department_name = serializers.CharField(source="department.name", read_only=True)
    commitment_type_display = serializers.CharField(source="get_commitment_type_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "subject_name",
            "uscc",
            "department_name",
            "commitment_type",
            "commitment_type_display",
            "matter",
            "text",
            "commitment_date",
            "fulfil_by",
            "status",
            "status_display",
            "resolved_date",
        ]


@extend_schema(
    description=_(
        "本部门的信用承诺：登记、确认履行、认定违背，并可将违背的承诺提出列入黑名单；每次写入均调用一项服务。"
    )
)
class CommitmentViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Commitments of the clerk's department: record, fulfil, mark broken, propose a broken one for a black list.

    Every write is a service call.
    """

    serializer_class = CommitmentSerializer
    permission_classes = [ActionPermission]
    action_permissions = {
        "fulfil": "sanctions.resolve_commitment",
        "mark_broken": "sanctions.resolve_commitment",
        "propose_listing": "sanctions.add_listentry",
    }
    filterset_fields = ["status", "commitment_type", "is_overdue"]

    def get_queryset(self):
        return selectors.commitments_for_staff(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.record_commitment(by=self.request.user, **data)

    def _resolve(self, service):
        commitment = self.get_object()
        payload = ResolutionSerializer(data=self.request.data)
        payload.is_valid(raise_exception=True)
        on = payload.validated_data.get("resolved_date")
        commitment = service(
            commitment=commitment, by=self.request.user, evidence=payload.validated_data["evidence"], on=on
        )
        return Response(self.get_serializer(commitment).data)

    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        return self._resolve(services.fulfil_commitment)

    @action(detail=True, methods=["post"], url_path="break")
    def mark_broken(self, request, pk=None):
        return self._resolve(services.mark_commitment_broken)

    @action(detail=True, methods=["post"], url_path="propose-listing")
    def propose_listing(self, request, pk=None):
        commitment = self.get_object()
        payload = ListingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = services.propose_listing_for_commitment(
            commitment=commitment, by=request.user, list_type=payload.validated_data["list_type"]
        )
        return Response({"list_entry": entry.pk, "status": entry.status}, status=201)


@extend_schema(description=_("信用承诺及其履行情况；`?uscc=` 只看一个主体。"))
class PublicCommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Credit commitments and their fulfilment; ``?uscc=`` narrows to one subject."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicCommitmentSerializer

    def get_queryset(self):
        queryset = selectors.public_commitments()
        uscc = self.request.query_params.get("uscc", "").strip()
        if uscc:
            queryset = queryset.filter(subject__uscc=codes.normalise(uscc))
        return queryset
