"""Serializers of the repair API: input parsing for the public, answers without personal data (DOMAIN §10)."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from ..choices import ApplicationKind, ObjectionGround, ObjectionOutcome, TargetKind
from ..models import Application, ApplicationStep


class ChoiceWithLabel(serializers.ChoiceField):
    """Accepts our code or the Chinese label (DOMAIN §11)."""

    def to_internal_value(self, data):
        for value, label in self.choices.items():
            if data == str(label):
                return value
        return super().to_internal_value(data)


class FilingSerializer(serializers.Serializer):
    kind = ChoiceWithLabel(choices=ApplicationKind.choices)
    target_kind = ChoiceWithLabel(choices=TargetKind.choices)
    document_number = serializers.CharField(max_length=100)
    subject_name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="", write_only=True)
    ground = ChoiceWithLabel(choices=ObjectionGround.choices, required=False, allow_blank=True, default="")
    statement = serializers.CharField(max_length=5000)
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    materials = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class TrackingSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=32)
    contact = serializers.CharField(max_length=254, help_text=_("申请时填写的联系电话或电子邮箱"))


class SupplementSerializer(TrackingSerializer):
    materials = serializers.ListField(child=serializers.FileField(), allow_empty=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StepSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ApplicationStep
        fields = ["status", "status_label", "action", "at", "note"]


class PublicApplicationSerializer(serializers.ModelSerializer):
    """What the applicant sees by tracking number + contact: status, limits, steps; no contact or ID data."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    due_date = serializers.DateField(read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "tracking_number",
            "kind",
            "kind_label",
            "target_kind",
            "status",
            "status_label",
            "department",
            "submitted_on",
            "accept_due_date",
            "decide_due_date",
            "due_date",
            "is_due_date_provisional",
            "decision_reason",
            "answer_outcome",
            "steps",
        ]


class StaffApplicationSerializer(serializers.ModelSerializer):
    """An application in the review queue."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    subject_name = serializers.CharField(source="subject.public_name", read_only=True)
    target_id = serializers.SerializerMethodField()
    due_date = serializers.DateField(read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "tracking_number",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "target_kind",
            "target_id",
            "subject_name",
            "department",
            "department_name",
            "ground",
            "statement",
            "submitted_on",
            "accept_due_date",
            "accepted_on",
            "decide_due_date",
            "due_date",
            "is_extended",
            "is_overdue",
            "paused_on",
            "decided_on",
            "decision_reason",
            "answer_outcome",
            "answer",
        ]
        read_only_fields = fields

    def get_target_id(self, application) -> int:
        return application.penalty_id or application.licensing_id or application.list_entry_id


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class AnswerSerializer(serializers.Serializer):
    outcome = ChoiceWithLabel(choices=ObjectionOutcome.choices)
    answer = serializers.CharField(max_length=5000)
    changes = serializers.DictField(required=False, default=dict)
