"""Serializers of the exchange API: read-only views of outbox events (payloads stay out of lists)."""

from rest_framework import serializers

from ..models import OutboxEvent


class OutboxEventSerializer(serializers.ModelSerializer):
    """One outbox event as staff see it: state, attempts and the upstream's answer."""

    object_type = serializers.CharField(source="content_type.model", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = OutboxEvent
        fields = [
            "id",
            "kind",
            "action",
            "object_type",
            "object_id",
            "department",
            "department_name",
            "idempotency_key",
            "status",
            "status_label",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "delivered_at",
            "last_error",
            "upstream_id",
            "created_at",
        ]
        read_only_fields = fields
