"""Serializers of the API-client endpoints (issue 12): keys are never read back, only shown once when issued."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from ..choices import ClientKind, ClientStatus, Scope
from ..models import ApiClient, ApiKey, DailyUsage


class ApiKeySerializer(serializers.ModelSerializer):
    """A key as the office sees it: its prefix and dates, never the key or its digest."""

    is_usable = serializers.SerializerMethodField()

    class Meta:
        model = ApiKey
        fields = ["id", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at", "is_usable"]
        read_only_fields = fields

    def get_is_usable(self, key) -> bool:
        return key.is_usable()


class ApiClientSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ClientKind.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.ChoiceField(choices=ClientStatus.choices)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    daily_quota = serializers.IntegerField(source="quota", read_only=True)
    keys = ApiKeySerializer(many=True, read_only=True)

    class Meta:
        model = ApiClient
        fields = [
            "id",
            "name",
            "organisation",
            "kind",
            "kind_label",
            "contact_name",
            "contact_phone",
            "owner_email",
            "purpose",
            "status",
            "status_label",
            "scopes",
            "department",
            "department_name",
            "ip_allowlist",
            "daily_quota",
            "valid_from",
            "valid_until",
            "approved_at",
            "review_note",
            "created_at",
            "keys",
        ]
        read_only_fields = fields


class ClientApplicationSerializer(serializers.Serializer):
    """An application for API access (public, or staff on a system's behalf)."""

    name = serializers.CharField(max_length=100, label=_("客户端名称"))
    organisation = serializers.CharField(max_length=200, label=_("申请单位"))
    kind = serializers.ChoiceField(choices=ClientKind.choices, label=_("类别"))
    contact_name = serializers.CharField(max_length=50, label=_("联系人"))
    contact_phone = serializers.CharField(max_length=30, label=_("联系电话"))
    owner_email = serializers.EmailField(label=_("负责人邮箱"))
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices), min_length=1, label=_("接口范围")
    )
    department = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        label=_("所属部门"),
        help_text=_("部门编号；“部门数据报送”和“信用核查”须填写"),
    )
    ip_allowlist = serializers.CharField(required=False, allow_blank=True, default="", label=_("IP白名单"))
    purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ClientApplicationReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ClientStatus.choices)
    message = serializers.CharField()


class ClientApproveSerializer(serializers.Serializer):
    daily_quota = serializers.IntegerField(min_value=1, max_value=100_000_000, required=False, allow_null=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ClientReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class KeyRotateSerializer(serializers.Serializer):
    grace_hours = serializers.IntegerField(min_value=0, max_value=24 * 90, required=False, allow_null=True)


class KeyRevokeSerializer(serializers.Serializer):
    key_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class IssuedKeySerializer(serializers.Serializer):
    """A key just issued: ``key`` is shown this once; only its digest is stored."""

    key = serializers.CharField()
    prefix = serializers.CharField()
    client = ApiClientSerializer()


class DailyUsageSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)

    class Meta:
        model = DailyUsage
        fields = ["client", "client_name", "day", "calls", "refused", "errors", "rows"]
        read_only_fields = fields


class OwnTermsSerializer(serializers.Serializer):
    """What a client may learn about itself with its own key."""

    name = serializers.CharField()
    organisation = serializers.CharField()
    status = serializers.ChoiceField(choices=ClientStatus.choices)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))
    daily_quota = serializers.IntegerField()
    calls_today = serializers.IntegerField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    keys = ApiKeySerializer(many=True)
