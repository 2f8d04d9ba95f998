"""Serializers of the watch API: watchlists, codes, matched changes, webhook endpoints and deliveries."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from credit_portal.opendata.api.views import ChangeEventSerializer

from ..models import WatchedSubject, Watchlist, WatchMatch, WebhookDelivery, WebhookEndpoint


class WatchlistSerializer(serializers.ModelSerializer):
    code_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Watchlist
        fields = ["id", "name", "code_count", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness per owner is checked by the service (the owner is not an input).
        validators: list = []


class WatchedSubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = WatchedSubject
        fields = ["uscc", "added_at"]
        read_only_fields = ["added_at"]
        extra_kwargs = {"uscc": {"validators": []}}


class WatchedSubjectPageSerializer(serializers.Serializer):
    """A page of a list's codes (the API's page-number pagination)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = WatchedSubjectSerializer(many=True)


class CodesSerializer(serializers.Serializer):
    codes = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=1000)


class RemovedSerializer(serializers.Serializer):
    removed = serializers.IntegerField()


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("csv（UTF-8）或 xlsx；第一列或 `统一社会信用代码` 列，最多100,000个代码"))


class InvalidRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("文件中的行号（表头为第1行）"))
    value = serializers.CharField()
    message = serializers.CharField()


class UploadReportSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    added = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    invalid = InvalidRowSerializer(many=True)


class WatchMatchSerializer(serializers.ModelSerializer):
    change = ChangeEventSerializer()

    class Meta:
        model = WatchMatch
        fields = ["id", "uscc", "matched_at", "change"]


class WebhookEndpointSerializer(serializers.ModelSerializer):
    is_disabled = serializers.SerializerMethodField()

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "is_active",
            "is_disabled",
            "disabled_at",
            "failure_streak",
            "last_success_at",
            "last_failure_at",
            "last_error",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "is_disabled",
            "disabled_at",
            "failure_streak",
            "last_success_at",
            "last_failure_at",
            "last_error",
            "created_at",
        ]
        extra_kwargs = {
            "url": {"help_text": _("https:// 地址（测试环境可用 WEBHOOK_ALLOW_HTTP_HOSTS 中的 http 主机）")}
        }

    def get_is_disabled(self, endpoint: WebhookEndpoint) -> bool:
        """True when the portal switched the endpoint off after its failure streak."""
        return endpoint.disabled_at is not None


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text=_("签名密钥：只在创建和更换时返回，请妥善保存"))

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    delivery_id = serializers.CharField(read_only=True, help_text=_("幂等编号（X-Webhook-Id），重试和重新推送时不变"))
    change = ChangeEventSerializer(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "delivery_id",
            "endpoint",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_error",
            "created_at",
            "change",
        ]
        read_only_fields = fields
