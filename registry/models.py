"""Departments, staff accounts and the subject registry (DOMAIN §1, §2)."""

from __future__ import annotations

from simple_history.models import HistoricalRecords

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credit_portal import access, crypto, masking
from credit_portal.models import TimeStampedModel

from . import codes
from .choices import DepartmentKind, IdType, SubjectCategory


class DepartmentQuerySet(models.QuerySet):
    def active(self) -> DepartmentQuerySet:
        return self.filter(is_active=True)


class Department(TimeStampedModel):
    """A district department: source of records (数据来源单位) and home of its clerks."""

    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    kind = models.CharField(
        _("部门类型"), max_length=24, choices=DepartmentKind.choices, default=DepartmentKind.AGENCY
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("部门")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check = codes.validate_uscc(self.uscc)
        if not check.valid:
            raise ValidationError({"uscc": [ValidationError(e.message, code=e.code) for e in check.errors]})
        self.uscc = check.code


class User(AbstractUser):
    """A staff account; clerks belong to one department (DOMAIN §1)."""

    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("所属部门")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = verbose_name_plural = _("用户")

    def __str__(self) -> str:
        full_name = f"{self.last_name}{self.first_name}".strip()
        return full_name + _("（%(detail)s）") % {"detail": self.username} if full_name else self.username

    @property
    def role(self) -> str | None:
        return access.role_of(self)

    def clean(self) -> None:
        super().clean()
        if access.is_clerk(self) and self.pk and not self.department_id:
            raise ValidationError({"department": _("部门填报员必须属于一个部门。")}, code="department_required")


class SubjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubjectQuerySet:
        """Clerks see the subjects their department filed; the credit office and administrators see all."""
        return access.scope_to_department(self, user, field="created_by_department")

    def by_identifier(self, *, uscc: str = "", id_type: str = "", id_number: str = "") -> SubjectQuerySet:
        """Exact lookup by code, or by ID number through its keyed hash (DOMAIN §10, §13)."""
        if uscc:
            return self.filter(uscc=codes.normalise(uscc))
        if id_number:
            return self.filter(id_type=id_type or IdType.RESIDENT_ID, id_number_hash=crypto.keyed_hash(id_number))
        return self.none()


# Columns safe to read for public pages: no personal column leaves the database there (STYLE §2.6).
PUBLIC_SUBJECT_FIELDS = (
    "id",
    "category",
    "name",
    "uscc",
    "registration_number",
    "legal_representative",
    "region_code",
)


class Subject(TimeStampedModel):
    """A 行政相对人: legal entity, individual business or natural person, keyed by code or ID number."""

    category = models.CharField(_("行政相对人类别"), max_length=24, choices=SubjectCategory.choices)
    name = models.CharField(_("行政相对人名称"), max_length=200, db_index=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    registration_number = models.CharField(_("工商注册号"), max_length=30, blank=True, db_index=True)
    organization_code = models.CharField(_("组织机构代码"), max_length=20, blank=True)
    tax_registration_number = models.CharField(_("税务登记号"), max_length=30, blank=True)
    institution_certificate_number = models.CharField(_("事业单位证书号"), max_length=30, blank=True)
    social_org_registration_number = models.CharField(_("社会组织登记证号"), max_length=30, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=2, choices=IdType.choices, blank=True)
    # The ID number itself is stored encrypted; the keyed hash finds it by exact match, the mask shows it.
    id_number_encrypted = models.TextField(_("证件号码（加密）"), blank=True, editable=False)
    id_number_hash = models.CharField(_("证件号码检索摘要"), max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("证件号码（脱敏）"), max_length=32, blank=True, editable=False)
    # The department that first filed the subject: scopes clerks and the code-quality report (重错码率, DOMAIN §2).
    created_by_department = models.ForeignKey(
        Department,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="filed_subjects",
        verbose_name=_("填报部门"),
    )

    objects = SubjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["id_number_encrypted"], verbose_name=_("主体变更记录"))

    class Meta:
        verbose_name = verbose_name_plural = _("主体")
        ordering = ["name", "pk"]
        permissions = [("reveal_id_number", _("可查看完整证件号码"))]
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="subject_unique_id_number",
                violation_error_message=_("已有证件号码相同的自然人。"),
                violation_error_code="duplicate_id_number",
            ),
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=Q(uscc__isnull=True) & ~Q(registration_number=""),
                name="subject_unique_registration_without_uscc",
                violation_error_message=_("已有工商注册号相同、无统一社会信用代码的主体。"),
                violation_error_code="duplicate_registration_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("subject-detail", args=[self.pk])

    @property
    def is_natural_person(self) -> bool:
        return self.category == SubjectCategory.NATURAL_PERSON

    @property
    def public_name(self) -> str:
        """The name as the public may see it (DOMAIN §10)."""
        return masking.mask_name(self.name) if self.is_natural_person else self.name

    def set_id_number(self, number: str) -> None:
        number = codes.normalise_id_number(number)
        self.id_number_encrypted = crypto.encrypt(number)
        self.id_number_hash = crypto.keyed_hash(number)
        self.id_number_masked = masking.mask_id_number(number)

    def reveal_id_number(self) -> str:
        """The clear ID number; callers log the view (``registry.services.reveal_id_number``)."""
        return crypto.decrypt(self.id_number_encrypted)

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.uscc == "":
            self.uscc = None
        if self.category == SubjectCategory.NATURAL_PERSON:
            if self.uscc:
                errors.setdefault("uscc", []).append(
                    ValidationError(_("自然人不填统一社会信用代码，请填写证件类型和号码。"), code="uscc_not_allowed")
                )
            if not self.id_type:
                errors.setdefault("id_type", []).append(
                    ValidationError(_("自然人必须填写证件类型。"), code="required")
                )
            if not self.id_number_hash:
                errors.setdefault("id_number", []).append(
                    ValidationError(_("自然人必须填写证件号码。"), code="required")
                )
        else:
            if self.uscc:
                check = codes.validate_uscc(self.uscc, allow_placeholder=False)
                self.uscc = check.code
                for error in check.errors:
                    errors.setdefault("uscc", []).append(ValidationError(error.message, code=error.code))
            elif not (self.category == SubjectCategory.INDIVIDUAL_BUSINESS and self.registration_number):
                errors.setdefault("uscc", []).append(
                    ValidationError(
                        _(
                            "法人及非法人组织、个体工商户必须填写统一社会信用代码（无代码的个体工商户填写工商注册号）。"
                        ),
                        code="required",
                    )
                )
            if not self.legal_representative:
                errors.setdefault("legal_representative", []).append(
                    ValidationError(
                        _("法人及非法人组织、个体工商户必须填写法定代表人（负责人、经营者）。"), code="required"
                    )
                )
        if errors:
            raise ValidationError(errors)
