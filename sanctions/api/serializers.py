"""Serializers of the sanctions API: parse and shape only; every write goes through a service (STYLE §2.2)."""

from __future__ import annotations

from rest_framework import serializers

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from credit_portal.api.serializers import PrebuiltFieldsMixin
from registry.choices import IdType, SubjectCategory

from ..choices import BusinessMatter, ListColor, RemovalReason, parse_choice
from ..models import ListEntry, ListEntryStep, ListType, Measure


class CodeOrLabelField(serializers.ChoiceField):
    """Accepts our code or the standard's Chinese label (DOMAIN §11); answers with the code."""

    def to_internal_value(self, data):
        code = parse_choice(self._text_choices, str(data))
        if code is None:
            self.fail("invalid_choice", input=data)
        return code

    def __init__(self, text_choices, **kwargs):
        self._text_choices = text_choices
        super().__init__(choices=text_choices.choices, **kwargs)


def labelled(choices, value) -> dict | None:
    if not value:
        return None
    return {"code": value, "label": str(choices(value).label) if value in choices.values else value}


class ListTypeSerializer(serializers.ModelSerializer):
    color_label = serializers.CharField(source="get_color_display", read_only=True)
    measures = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ListType
        fields = [
            "id",
            "code",
            "name",
            "color",
            "color_label",
            "legal_basis",
            "issuing_authority",
            "criteria",
            "default_validity_months",
            "early_removal_allowed",
            "early_removal_rule",
            "min_months_before_repair",
            "notice_working_days",
            "public_notice_days",
            "measures",
            "is_active",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    measure_class_label = serializers.CharField(source="get_measure_class_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    obligation_label = serializers.CharField(source="get_obligation_display", read_only=True)
    matter_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    list_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "name",
            "measure_class",
            "measure_class_label",
            "kind",
            "kind_label",
            "obligation",
            "obligation_label",
            "text",
            "legal_basis",
            "applying_authority",
            "matters",
            "matter_labels",
            "list_types",
            "is_active",
        ]


class ListEntryStepSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    by = serializers.CharField(source="by.username", default=None, read_only=True)

    class Meta:
        model = ListEntryStep
        fields = ["status", "status_label", "at", "by", "document", "note"]


class ListEntrySerializer(serializers.ModelSerializer):
    """Staff view of an entry; on create, the list type by code and the subject by id or by its code block."""

    list_type = serializers.SlugRelatedField(slug_field="code", queryset=ListType.objects.active())
    list_type_name = serializers.CharField(source="list_type.name", read_only=True)
    color = serializers.CharField(source="list_type.color", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    subject_id = serializers.IntegerField(required=False, write_only=True)
    subject_category = CodeOrLabelField(SubjectCategory, required=False, write_only=True)
    subject_name = serializers.CharField(source="subject.name", required=False)
    uscc = serializers.CharField(source="subject.uscc", required=False, allow_null=True, allow_blank=True)
    legal_representative = serializers.CharField(required=False, write_only=True, allow_blank=True)
    id_type = CodeOrLabelField(IdType, required=False, write_only=True)
    id_number = serializers.CharField(required=False, write_only=True, allow_blank=True)
    removal_reason_label = serializers.CharField(source="get_removal_reason_display", read_only=True)
    steps = ListEntryStepSerializer(many=True, read_only=True)

    class Meta:
        model = ListEntry
        fields = [
            "id",
            "list_type",
            "list_type_name",
            "color",
            "status",
            "status_label",
            "department",
            "subject_id",
            "subject_category",
            "subject_name",
            "uscc",
            "legal_representative",
            "id_type",
            "id_number",
            "reason",
            "facts",
            "notice_document_number",
            "notice_date",
            "statement_due_date",
            "is_statement_due_date_provisional",
            "statement",
            "public_notice_end_date",
            "decision_document_number",
            "decision_date",
            "valid_from",
            "valid_to",
            "published_at",
            "removal_reason",
            "removal_reason_label",
            "removed_at",
            "steps",
        ]
        read_only_fields = [
            "status",
            "notice_document_number",
            "notice_date",
            "statement_due_date",
            "is_statement_due_date_provisional",
            "statement",
            "public_notice_end_date",
            "decision_document_number",
            "decision_date",
            "valid_from",
            "valid_to",
            "published_at",
            "removal_reason",
            "removed_at",
        ]

    def validate(self, attrs):
        subject = attrs.get("subject") or {}
        identified = subject.get("uscc") or attrs.get("id_number")
        if not attrs.get("subject_id") and not (identified and subject.get("name")):
            raise serializers.ValidationError(
                {"subject_id": _("请提供主体编号，或主体名称与统一社会信用代码（自然人为证件类型和号码）。")},
                code="required",
            )
        return attrs


class ServeNoticeSerializer(serializers.Serializer):
    notice_date = serializers.DateField()
    document_number = serializers.CharField(max_length=100)


class StatementSerializer(serializers.Serializer):
    statement = serializers.CharField()
    document = serializers.CharField(max_length=200, required=False, default="")


class DecideSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=100)
    decision_date = serializers.DateField()
    approve = serializers.BooleanField(default=True)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class PublicNoticeSerializer(serializers.Serializer):
    notice_date = serializers.DateField()
    document = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class PublishSerializer(serializers.Serializer):
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    document_number = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField()
    document = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class RemoveSerializer(serializers.Serializer):
    reason = CodeOrLabelField(RemovalReason)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    document = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class PublicListEntrySerializer(PrebuiltFieldsMixin, serializers.Serializer):
    """A current entry for visitors: a natural person's name masked, no ID number, ever (DOMAIN §10)."""

    id = serializers.IntegerField()
    list_type = serializers.CharField(source="list_type.code")
    list_type_name = serializers.CharField(source="list_type.name")
    color = serializers.CharField(source="list_type.color")
    color_label = serializers.SerializerMethodField()
    subject_name = serializers.SerializerMethodField()
    subject_category = serializers.CharField(source="subject.category")
    uscc = serializers.SerializerMethodField()
    department = serializers.CharField(source="department.name")
    reason = serializers.CharField(source="public_reason")
    decision_document_number = serializers.CharField()
    decision_date = serializers.DateField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    published_at = serializers.DateTimeField()
    is_under_objection = serializers.BooleanField(default=False, help_text=_("该条目有异议申诉正在处理"))

    def get_color_label(self, entry) -> str:
        return str(ListColor(entry.list_type.color).label)

    def get_subject_name(self, entry) -> str:
        return entry.subject.public_name

    def get_uscc(self, entry) -> str | None:
        return None if entry.subject.is_natural_person else entry.subject.uscc


class PublicListEntryDetailSerializer(PublicListEntrySerializer):
    legal_basis = serializers.CharField(source="list_type.legal_basis")
    issuing_authority = serializers.CharField(source="list_type.issuing_authority")
    early_removal_rule = serializers.CharField(source="list_type.early_removal_rule")


class CreditCheckRequestSerializer(serializers.Serializer):
    matter = serializers.CharField(help_text=_("业务事项代码或中文名称，如 `government_procurement` 或 `政府采购`"))
    subjects = serializers.ListField(child=serializers.CharField(max_length=64, allow_blank=True), allow_empty=False)
    purpose = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)

    def validate_subjects(self, value):
        limit = settings.CREDIT_CHECK_MAX_SUBJECTS
        if len(value) > limit:
            raise serializers.ValidationError(
                _("一次最多核查%(limit)s个主体，请分批提交。") % {"limit": limit}, code="too_many_subjects"
            )
        return value


class CreditCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    by = serializers.CharField(source="by.username")
    department = serializers.CharField(source="department.name")
    matter = serializers.SerializerMethodField()
    source = serializers.CharField()
    purpose = serializers.CharField()
    subject_count = serializers.IntegerField()
    hit_count = serializers.IntegerField()
    unknown_count = serializers.IntegerField()
    invalid_count = serializers.IntegerField()

    def get_matter(self, check) -> dict:
        return labelled(BusinessMatter, check.matter)


class FeedbackRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(required=False, help_text=_("核查明细编号（核查结果中的 item_id）"))
    position = serializers.IntegerField(required=False, min_value=0, help_text=_("或：该主体在请求中的序号，从0开始"))
    measure = serializers.IntegerField()
    outcome = serializers.CharField(help_text=_("`applied` 或 `not_applied`（也可填 `已实施` 或 `未实施`）"))
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class FeedbackRequestSerializer(serializers.Serializer):
    items = FeedbackRowSerializer(many=True, allow_empty=False)
