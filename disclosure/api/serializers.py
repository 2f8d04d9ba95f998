"""Serializers of the clerks' record API (DOMAIN §11).

Input is handed to the services untouched: the validation module checks it and accepts both our codes and the
standard's Chinese labels. Output gives every code with its label (``*_label``); ID numbers are write-only and
come back masked only (DOMAIN §10); computed fields are read-only.
"""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from disclosure.models import Licensing, Penalty

CODE_OR_LABEL = _("我方代码或国家标准中文值均可，例如 `legal_entity` 或 `法人及非法人组织`")

COMPUTED = [
    "id",
    "status",
    "status_label",
    "version",
    "publication_due_date",
    "is_due_date_provisional",
    "timeliness",
    "timeliness_label",
    "publication_end_date",
    "is_publishable",
    "published_at",
    "is_under_objection",
    "withdrawn_at",
    "withdrawal_reason",
    "withdrawal_document",
    "revoked_on",
    "withdrawal_due_date",
    "source_department_name",
    "source_department_uscc",
    "id_number_masked",
    "created_at",
    "updated_at",
]
SUBJECT = [
    "subject_name",
    "subject_category",
    "subject_category_label",
    "uscc",
    "registration_number",
    "organization_code",
    "tax_registration_number",
    "institution_certificate_number",
    "social_org_registration_number",
    "legal_representative",
    "legal_representative_id_type",
    "legal_representative_id_number",
    "id_type",
    "id_type_label",
    "id_number",
]


def _code(**kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, help_text=CODE_OR_LABEL, **kwargs)


class RecordSerializer(serializers.ModelSerializer):
    """Fields both kinds share."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    timeliness_label = serializers.CharField(source="get_timeliness_display", read_only=True)
    subject_category = _code()
    subject_category_label = serializers.CharField(source="get_subject_category_display", read_only=True)
    id_type = _code()
    id_type_label = serializers.CharField(source="get_id_type_display", read_only=True)
    legal_representative_id_type = _code()
    id_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text=_("自然人必填，不予返回")
    )
    legal_representative_id_number = serializers.CharField(write_only=True, required=False, allow_blank=True)
    id_number_masked = serializers.CharField(read_only=True)
    info_scope = _code()
    info_scope_label = serializers.CharField(source="get_info_scope_display", read_only=True)
    source_department_name = serializers.CharField(source="department.name", read_only=True)
    source_department_uscc = serializers.CharField(source="department.uscc", read_only=True)
    decision_date = serializers.DateField(required=False)

    def to_internal_value(self, data):
        """Pass the writable fields on as sent; ``disclosure.validation`` judges them in the service."""
        if not isinstance(data, Mapping):
            raise serializers.ValidationError({"non_field_errors": [_("请提交 JSON 对象。")]}, code="invalid")
        writable = {name for name, field in self.fields.items() if not field.read_only}
        values = {}
        for name in writable:
            if name in data:
                value = data[name]
                if hasattr(data, "getlist") and name == "penalty_categories":
                    value = data.getlist(name)
                values[name] = value
        return values


class LicensingSerializer(RecordSerializer):
    licence_category = _code()
    licence_category_label = serializers.CharField(source="get_licence_category_display", read_only=True)
    current_state = _code()
    current_state_label = serializers.CharField(source="get_current_state_display", read_only=True)
    valid_from = serializers.DateField(required=False)
    valid_to = serializers.DateField(required=False, help_text=_("长期有效填 2099-12-31"))

    class Meta:
        model = Licensing
        fields = [
            *COMPUTED,
            *SUBJECT,
            "decision_document_name",
            "document_number",
            "licence_category",
            "licence_category_label",
            "licence_name",
            "licence_number",
            "content",
            "decision_date",
            "valid_from",
            "valid_to",
            "authority_name",
            "authority_uscc",
            "current_state",
            "current_state_label",
            "info_scope",
            "info_scope_label",
            "remarks",
        ]
        read_only_fields = COMPUTED
        extra_kwargs = {name: {"required": False} for name in fields}


class PenaltySerializer(RecordSerializer):
    penalty_categories = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("一个或多个处罚类别：代码（`fine`）或中文值（`罚款`）；也可为以分号分隔的文本"),
    )
    penalty_categories_labels = serializers.ListField(
        source="penalty_category_labels", child=serializers.CharField(), read_only=True
    )
    severity = _code()
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    procedure = _code()
    procedure_label = serializers.CharField(source="get_procedure_display", read_only=True)
    penalty_valid_to = serializers.DateField(required=False, allow_null=True)
    fine_amount = serializers.DecimalField(max_digits=18, decimal_places=6, required=False, allow_null=True)
    confiscated_amount = serializers.DecimalField(max_digits=18, decimal_places=6, required=False, allow_null=True)

    class Meta:
        model = Penalty
        fields = [
            *COMPUTED,
            "shortest_end_date",
            "is_repairable",
            *SUBJECT,
            "document_number",
            "violation_type",
            "violation_facts",
            "legal_basis",
            "penalty_categories",
            "penalty_categories_labels",
            "content",
            "fine_amount",
            "confiscated_amount",
            "licence_name_and_number",
            "decision_date",
            "penalty_valid_to",
            "authority_name",
            "authority_uscc",
            "severity",
            "severity_label",
            "procedure",
            "procedure_label",
            "is_special_case",
            "info_scope",
            "info_scope_label",
            "remarks",
        ]
        read_only_fields = [*COMPUTED, "shortest_end_date", "is_repairable"]
        extra_kwargs = {name: {"required": False} for name in fields}


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("撤销原因"))
    document = serializers.CharField(help_text=_("撤销依据文书（如撤销决定书文号）"))
    revoked_on = serializers.DateField(required=False, allow_null=True, help_text=_("决定被撤销或变更的日期（选填）"))


class RevocationSerializer(serializers.Serializer):
    revoked_on = serializers.DateField(help_text=_("决定被撤销或变更的日期"))


class DepartmentComplianceSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    department_name = serializers.CharField()
    total = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    pending = serializers.IntegerField()
    compliance_rate = serializers.FloatField(allow_null=True, help_text=_("合规率：按时公示数 ÷ 已到期记录数 × 100"))
    by_kind = serializers.DictField(child=serializers.IntegerField())
