"""Serializers of the registry API: input is parsed here, every write goes through registry.services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from ..models import Department, Subject


class CodeErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("稳定的错误代码：length、invalid_character、unknown_authority 等"))
    message = serializers.CharField()
    position = serializers.IntegerField(allow_null=True, help_text=_("出错字符的位置（1-18）"))


class ValidateCodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64, allow_blank=True, trim_whitespace=False)


class ValidateCodeResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    code = serializers.CharField(help_text=_("规范化后的代码（半角、大写、去空格）"))
    errors = CodeErrorSerializer(many=True)
    expected_check_digit = serializers.CharField(allow_null=True)


class DepartmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "uscc", "kind", "kind_label"]


class SubjectSerializer(serializers.ModelSerializer):
    """A subject for staff: the ID number only masked; the clear number comes from reveal-id, logged."""

    subject_name = serializers.CharField(source="name", max_length=200)
    subject_category = serializers.CharField(
        source="category", help_text=_("legal_entity / individual_business / natural_person，或标准中文值")
    )
    subject_category_label = serializers.CharField(source="get_category_display", read_only=True)
    uscc = serializers.CharField(max_length=64, required=False, allow_blank=True, allow_null=True)
    id_type = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text=_("01 身份证 …，或中文值")
    )
    id_type_label = serializers.CharField(source="get_id_type_display", read_only=True)
    id_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text=_("仅自然人；答复中只给出脱敏号码")
    )
    id_number_masked = serializers.CharField(read_only=True)
    created_by_department = serializers.SerializerMethodField()

    class Meta:
        model = Subject
        fields = [
            "id",
            "subject_category",
            "subject_category_label",
            "subject_name",
            "uscc",
            "registration_number",
            "organization_code",
            "tax_registration_number",
            "institution_certificate_number",
            "social_org_registration_number",
            "legal_representative",
            "region_code",
            "id_type",
            "id_type_label",
            "id_number",
            "id_number_masked",
            "created_by_department",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["region_code", "created_at", "updated_at"]

    @extend_schema_field(DepartmentSerializer(allow_null=True))
    def get_created_by_department(self, subject: Subject) -> dict | None:
        department = subject.created_by_department
        return DepartmentSerializer(department).data if department else None

    def validate(self, attrs):
        # Checks of codes and ID numbers happen once, in registry.services (DOMAIN §2): only shape is checked here.
        return attrs


class SubjectUpdateSerializer(SubjectSerializer):
    """Corrections: the category and a natural person's ID cannot change (register the right subject instead)."""

    subject_category = serializers.CharField(source="category", read_only=True)
    id_type = serializers.CharField(read_only=True)
    id_number = None

    class Meta(SubjectSerializer.Meta):
        fields = [name for name in SubjectSerializer.Meta.fields if name != "id_number"]


class RevealIdInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text=_("查看事由，记入查询日志（DOMAIN §10）"))


class RevealIdResultSerializer(serializers.Serializer):
    id_number = serializers.CharField()


class CodeQualitySerializer(serializers.Serializer):
    department = DepartmentSerializer()
    total = serializers.IntegerField(help_text=_("本部门填报的法人和个体工商户主体数"))
    invalid = serializers.IntegerField(help_text=_("代码错误的主体数"))
    duplicate = serializers.IntegerField(help_text=_("重码的主体数"))
    wrong_or_duplicate = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=9, decimal_places=6, help_text=_("重错码率（0.001 即 0.1%）"))
    meets_target = serializers.BooleanField()
