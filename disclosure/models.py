"""双公示 records (licensing and penalty), their versions, the deadline and publication policies, import jobs."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access, crypto, masking
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import TimeStampedModel
from registry.choices import IdType, SubjectCategory

from .choices import (
    DeadlineKind,
    ImportStatus,
    InfoScope,
    LicenceCategory,
    LicenceState,
    PenaltyCategory,
    Procedure,
    RecordKind,
    RecordStatus,
    Severity,
    Timeliness,
)

INDEFINITE = datetime.date(2099, 12, 31)  # DOMAIN §3: 有效期至 2099-12-31 means indefinite


class DepartmentScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> DepartmentScopedQuerySet:
        """Clerks see their own department's rows; the credit office and administrators see all."""
        return access.scope_to_department(self, user)


class RecordQuerySet(DepartmentScopedQuerySet):
    def public(self, *, today: datetime.date | None = None) -> RecordQuerySet:
        """What the public may see: published, publishable, scope 公示 and still in its period (DOMAIN §5, §10)."""
        today = today or timezone.localdate()
        queryset = self.filter(status=RecordStatus.PUBLISHED, is_publishable=True, info_scope=InfoScope.PUBLIC)
        if self.model is Licensing:
            return queryset.filter(current_state=LicenceState.VALID, valid_to__gte=today)
        # "No end, or an end not before today", as one expression: PostgreSQL would otherwise AND a bitmap of the
        # end-date index (every record in its period, ~440,000 at city scale: 30 ms) into each name search's plan.
        in_period = Coalesce("publication_end_date", Value(datetime.date.max), output_field=models.DateField())
        return queryset.filter(GreaterThanOrEqual(in_period, today))

    def awaiting_publication(self) -> RecordQuerySet:
        """Drafts that must be published by their due date (DOMAIN §4)."""
        return self.filter(status=RecordStatus.DRAFT, is_publishable=True)


# Columns the public pages and API may read (STYLE §2.6): no ID number, encrypted or masked.
PUBLIC_COMMON_FIELDS = (
    "id",
    "subject_id",
    "department_id",
    "department__name",
    "department__uscc",
    "subject_name",
    "subject_category",
    "uscc",
    "registration_number",
    "organization_code",
    "tax_registration_number",
    "institution_certificate_number",
    "social_org_registration_number",
    "legal_representative",
    "authority_name",
    "authority_uscc",
    "document_number",
    "decision_date",
    "content",
    "remarks",
    "status",
    "is_publishable",
    "is_under_objection",
    "info_scope",
    "published_at",
    "publication_end_date",
    "version",
)

# Fields copied into a version snapshot and into the upstream payload (never ID numbers: DOMAIN §3).
SUBJECT_BLOCK = (
    "subject_name",
    "subject_category",
    "uscc",
    "registration_number",
    "organization_code",
    "tax_registration_number",
    "institution_certificate_number",
    "social_org_registration_number",
    "legal_representative",
)


class DisclosureRecord(TimeStampedModel):
    """Fields both kinds of 双公示 record share: the subject block as filed, source, lifecycle (DOMAIN §3, §4)."""

    # Subject block, copied onto the record as filed: the registry may change later, the decision does not.
    subject_name = models.CharField(_("行政相对人名称"), max_length=200)
    subject_category = models.CharField(_("行政相对人类别"), max_length=24, choices=SubjectCategory.choices)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    registration_number = models.CharField(_("工商注册号"), max_length=30, blank=True)
    organization_code = models.CharField(_("组织机构代码"), max_length=20, blank=True)
    tax_registration_number = models.CharField(_("税务登记号"), max_length=30, blank=True)
    institution_certificate_number = models.CharField(_("事业单位证书号"), max_length=30, blank=True)
    social_org_registration_number = models.CharField(_("社会组织登记证号"), max_length=30, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)
    # Never published (DOMAIN §3, §10): stored encrypted, shown to staff masked only.
    legal_representative_id_type = models.CharField(
        _("法定代表人证件类型"), max_length=2, choices=IdType.choices, blank=True
    )
    legal_representative_id_number_encrypted = models.TextField(
        _("法定代表人证件号码（加密）"), blank=True, editable=False
    )
    id_type = models.CharField(_("证件类型"), max_length=2, choices=IdType.choices, blank=True)
    id_number_encrypted = models.TextField(_("证件号码（加密）"), blank=True, editable=False)
    id_number_masked = models.CharField(_("证件号码（脱敏）"), max_length=32, blank=True, editable=False)

    authority_name = models.CharField(_("决定机关"), max_length=200)
    authority_uscc = models.CharField(_("决定机关统一社会信用代码"), max_length=18)
    document_number = models.CharField(_("决定文书号"), max_length=100)
    decision_date = models.DateField(_("决定日期"), db_index=True)
    content = models.TextField(_("内容"))
    remarks = models.TextField(_("备注"), blank=True)
    info_scope = models.CharField(
        _("信息使用范围"), max_length=16, choices=InfoScope.choices, default=InfoScope.PUBLIC
    )

    status = models.CharField(_("状态"), max_length=24, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_publishable = models.BooleanField(_("应予公示"), default=True)
    publication_due_date = models.DateField(_("公示期限"), null=True, blank=True, db_index=True)
    is_due_date_provisional = models.BooleanField(_("期限为暂定"), default=False)
    timeliness = models.CharField(
        _("及时性"), max_length=16, choices=Timeliness.choices, default=Timeliness.PENDING, db_index=True
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    publication_end_date = models.DateField(_("公示截止期"), null=True, blank=True, db_index=True)
    corrected_at = models.DateTimeField(_("最近更正时间"), null=True, blank=True)
    revoked_on = models.DateField(_("决定被撤销或变更日期"), null=True, blank=True)
    withdrawal_due_date = models.DateField(_("撤回或更正期限"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤销原因"), blank=True)
    withdrawal_document = models.CharField(_("撤销依据文书"), max_length=200, blank=True)
    # Set by the repair app while an objection is open: pages show "异议处理中" (DOMAIN §8).
    is_under_objection = models.BooleanField(_("异议处理中"), default=False)
    objection_marked_at = models.DateTimeField(_("异议标记时间"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.document_number} {self.subject_name}"

    @property
    def kind(self) -> str:
        return self.record_kind

    @property
    def is_natural_person(self) -> bool:
        return self.subject_category == SubjectCategory.NATURAL_PERSON

    @property
    def public_subject_name(self) -> str:
        """The subject's name as the public may see it (DOMAIN §10)."""
        return masking.mask_name(self.subject_name) if self.is_natural_person else self.subject_name

    def set_id_number(self, number: str) -> None:
        for name, value in self.id_number_columns(number).items():
            setattr(self, name, value)

    def set_legal_representative_id_number(self, number: str) -> None:
        self.legal_representative_id_number_encrypted = crypto.encrypt(number)

    @staticmethod
    def id_number_columns(number: str) -> dict[str, str]:
        """The stored columns of an ID number: encrypted and masked, never in clear (DOMAIN §10)."""
        return {"id_number_encrypted": crypto.encrypt(number), "id_number_masked": masking.mask_id_number(number)}

    def reveal_id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    def upstream_payload(self) -> dict:
        """Standard fields for the sharing platform; ID numbers never leave (DOMAIN §3, §12)."""
        return self._payload(self, self.department)

    @classmethod
    def upstream_payloads(cls, ids) -> dict[int, dict]:
        """Payloads of many records in one query."""
        records = cls.objects.filter(pk__in=list(ids)).select_related("department")
        return {record.pk: cls._payload(record, record.department) for record in records}

    @classmethod
    def _payload(cls, record, department) -> dict:
        payload = {name: getattr(record, name) for name in SUBJECT_BLOCK}
        payload.update(
            {
                "id": record.pk,
                "document_number": record.document_number,
                "decision_date": record.decision_date.isoformat() if record.decision_date else None,
                "content": record.content,
                "authority_name": record.authority_name,
                "authority_uscc": record.authority_uscc,
                "source_department_name": department.name,
                "source_department_uscc": department.uscc,
                "remarks": record.remarks,
                "info_scope": record.info_scope,
                "status": record.status,
                "version": record.version,
            }
        )
        payload.update(record._kind_payload())
        return payload


class Licensing(DisclosureRecord):
    """A 行政许可 decision filed by a department (DOMAIN §3)."""

    record_kind = RecordKind.LICENSING
    upstream_kind = OutboxEvent.Kind.LICENSING

    subject = models.ForeignKey(
        "registry.Subject", models.PROTECT, related_name="licensings", verbose_name=_("行政相对人")
    )
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="licensings", verbose_name=_("数据来源单位")
    )
    decision_document_name = models.CharField(_("行政许可决定文书名称"), max_length=200)
    licence_category = models.CharField(_("许可类别"), max_length=16, choices=LicenceCategory.choices)
    licence_name = models.CharField(_("许可证书名称"), max_length=200, blank=True)
    licence_number = models.CharField(_("许可编号"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"), help_text=_("长期有效填 2099-12-31。"))
    current_state = models.CharField(
        _("当前状态"), max_length=8, choices=LicenceState.choices, default=LicenceState.VALID
    )

    class Meta:
        verbose_name = verbose_name_plural = _("行政许可")
        ordering = ["-decision_date", "-pk"]
        permissions = [
            ("publish_licensing", _("可公示行政许可")),
            ("withdraw_licensing", _("可撤销行政许可")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "document_number"],
                name="licensing_number_per_department",
                violation_error_message=_("本部门已有文书号相同的许可决定，请修改原记录。"),
                violation_error_code="duplicate_document_number",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="licensing_valid_to_after_from",
                violation_error_message=_("有效期至不能早于有效期自。"),
                violation_error_code="valid_to_before_valid_from",
            ),
        ]
        indexes = [models.Index(fields=["department", "status", "timeliness"], name="licensing_dept_status")]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("disclosure-licensing-detail", args=[self.pk])

    def _kind_payload(self) -> dict:
        return {
            "decision_document_name": self.decision_document_name,
            "licence_category": self.licence_category,
            "licence_name": self.licence_name,
            "licence_number": self.licence_number,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "current_state": self.current_state,
        }


class Penalty(DisclosureRecord):
    """A 行政处罚 decision filed by a department (DOMAIN §3)."""

    record_kind = RecordKind.PENALTY
    upstream_kind = OutboxEvent.Kind.PENALTY

    subject = models.ForeignKey(
        "registry.Subject", models.PROTECT, related_name="penalties", verbose_name=_("行政相对人")
    )
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="penalties", verbose_name=_("数据来源单位")
    )
    violation_type = models.CharField(_("违法行为类型"), max_length=200)
    violation_facts = models.TextField(_("违法事实"))
    legal_basis = models.TextField(_("处罚依据"))
    penalty_categories = models.JSONField(_("处罚类别"), default=list)
    fine_amount = models.DecimalField(_("罚款金额（万元）"), max_digits=18, decimal_places=6, null=True, blank=True)
    confiscated_amount = models.DecimalField(
        _("没收违法所得、没收非法财物的金额（万元）"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    licence_name_and_number = models.CharField(_("暂扣或吊销证照名称及编号"), max_length=300, blank=True)
    penalty_valid_to = models.DateField(_("处罚有效期"), null=True, blank=True)
    severity = models.CharField(_("失信严重程度"), max_length=8, choices=Severity.choices, default=Severity.GENERAL)
    procedure = models.CharField(
        _("案件程序类别"), max_length=8, choices=Procedure.choices, default=Procedure.ORDINARY
    )
    # 2019 rules: specific serious cases are published the full period and cannot be repaired (DOMAIN §5).
    is_special_case = models.BooleanField(_("属于特定严重失信情形"), default=False)
    shortest_end_date = models.DateField(_("最短公示期届满日"), null=True, blank=True)
    is_repairable = models.BooleanField(_("可申请信用修复"), default=True)
    stopped_at = models.DateTimeField(_("修复停止公示时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("行政处罚")
        ordering = ["-decision_date", "-pk"]
        permissions = [
            ("publish_penalty", _("可公示行政处罚")),
            ("withdraw_penalty", _("可撤销行政处罚")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "document_number"],
                name="penalty_number_per_department",
                # Without its own message Django reports a unique-fields constraint with code "unique_together".
                violation_error_message=_("本部门已有文号相同的处罚决定，请修改原记录。"),
                violation_error_code="duplicate_document_number",
            ),
            models.CheckConstraint(
                condition=Q(fine_amount__gte=0) | Q(fine_amount__isnull=True),
                name="penalty_fine_not_negative",
                violation_error_message=_("罚款金额不能为负数。"),
                violation_error_code="negative_amount",
            ),
            models.CheckConstraint(
                condition=Q(confiscated_amount__gte=0) | Q(confiscated_amount__isnull=True),
                name="penalty_confiscated_not_negative",
                violation_error_message=_("没收金额不能为负数。"),
                violation_error_code="negative_amount",
            ),
        ]
        indexes = [models.Index(fields=["department", "status", "timeliness"], name="penalty_dept_status")]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("disclosure-penalty-detail", args=[self.pk])

    @property
    def fine_amount_text(self) -> str:
        return _plain(self.fine_amount)

    @property
    def confiscated_amount_text(self) -> str:
        return _plain(self.confiscated_amount)

    @property
    def penalty_category_labels(self) -> list[str]:
        return [str(PenaltyCategory(code).label) for code in self.penalty_categories if code in PenaltyCategory.values]

    def _kind_payload(self) -> dict:
        return {
            "violation_type": self.violation_type,
            "violation_facts": self.violation_facts,
            "legal_basis": self.legal_basis,
            "penalty_categories": list(self.penalty_categories),
            "fine_amount": _amount(self.fine_amount),
            "confiscated_amount": _amount(self.confiscated_amount),
            "licence_name_and_number": self.licence_name_and_number,
            "penalty_valid_to": self.penalty_valid_to.isoformat() if self.penalty_valid_to else None,
            "severity": self.severity,
            "procedure": self.procedure,
            "publication_end_date": self.publication_end_date.isoformat() if self.publication_end_date else None,
        }


def _plain(value: Decimal | None) -> str:
    """0.500000 → 0.5, 20.000000 → 20: amounts as people write them."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _amount(value: Decimal | None) -> str | None:
    """万元 with the standard's 6 decimals, whether the value comes from the database or from a form."""
    return None if value is None else str(value.quantize(Decimal("0.000001")))


class RecordVersion(models.Model):
    """A snapshot of a record before a correction: the history the standard asks to keep (DOMAIN §3)."""

    kind = models.CharField(_("数据类别"), max_length=16, choices=RecordKind.choices)
    record_id = models.BigIntegerField(_("记录编号"))
    version = models.PositiveIntegerField(_("版本"))
    data = models.JSONField(_("更正前内容"))
    reason = models.TextField(_("更正原因"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("更正人")
    )
    changed_at = models.DateTimeField(_("更正时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("记录历史版本")
        ordering = ["kind", "record_id", "-version"]
        indexes = [models.Index(fields=["kind", "record_id"], name="record_version_record")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.record_id} v{self.version}"


class DeadlinePolicy(TimeStampedModel):
    """Working days allowed to publish (or to withdraw after a revocation), effective-dated (DOMAIN §4)."""

    record_kind = models.CharField(_("数据类别"), max_length=16, choices=RecordKind.choices)
    deadline = models.CharField(
        _("期限类型"), max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.PUBLICATION
    )
    department = models.ForeignKey(
        "registry.Department",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部门"),
        help_text=_("留空表示适用于所有部门。"),
    )
    working_days = models.PositiveSmallIntegerField(_("工作日数"))
    reminder_days = models.PositiveSmallIntegerField(_("提前提醒工作日数"), default=2)
    effective_from = models.DateField(_("生效日期"))
    notes = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("公示期限规则")
        ordering = ["record_kind", "deadline", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_kind", "deadline", "department", "effective_from"],
                name="deadline_policy_unique",
                violation_error_message=_("同一部门、同一类别在同一生效日期只能有一条期限规则。"),
                violation_error_code="duplicate_policy",
            ),
            models.CheckConstraint(
                condition=Q(working_days__gte=1),
                name="deadline_policy_days_positive",
                violation_error_message=_("工作日数至少为1。"),
                violation_error_code="days_not_positive",
            ),
        ]

    def __str__(self) -> str:
        scope = self.department or _("所有部门")
        return f"{self.get_record_kind_display()} {self.get_deadline_display()} {scope} {self.working_days}"


class PublicationPeriodRule(TimeStampedModel):
    """One row of a penalty publication-period rule set; the set in force on the decision date applies (DOMAIN §5).

    Blank conditions match anything. A row with ``is_published`` False names a category not to be published:
    a decision is kept unpublished only when every one of its categories matches such a row.
    """

    effective_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    severity = models.CharField(_("失信严重程度"), max_length=8, choices=Severity.choices, blank=True)
    penalty_category = models.CharField(_("处罚类别"), max_length=24, choices=PenaltyCategory.choices, blank=True)
    procedure = models.CharField(_("案件程序类别"), max_length=8, choices=Procedure.choices, blank=True)
    is_special_case = models.BooleanField(
        _("仅适用于特定严重失信情形"), default=False, help_text=_("勾选后仅匹配标记为特定严重失信情形的处罚。")
    )
    is_published = models.BooleanField(_("予以公示"), default=True)
    shortest_months = models.PositiveSmallIntegerField(_("最短公示期（月）"), default=0)
    longest_months = models.PositiveSmallIntegerField(_("最长公示期（月）"), default=0)
    is_repairable = models.BooleanField(_("可申请信用修复"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("处罚公示期规则")
        ordering = ["-effective_from", "penalty_category", "severity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(longest_months__gte=models.F("shortest_months")),
                name="period_rule_longest_not_shorter",
                violation_error_message=_("最长公示期不能短于最短公示期。"),
                violation_error_code="longest_before_shortest",
            ),
        ]

    def __str__(self) -> str:
        parts = [str(self.effective_from)]
        if self.penalty_category:
            parts.append(self.get_penalty_category_display())
        if self.severity:
            parts.append(self.get_severity_display())
        if self.procedure:
            parts.append(self.get_procedure_display())
        if not self.is_published:
            parts.append(str(_("不公示")))
        else:
            parts.append(f"{self.shortest_months}-{self.longest_months}")
        return " ".join(parts)


class ImportJob(models.Model):
    """One uploaded file of records, imported by a Celery task (DOMAIN §3 import template)."""

    kind = models.CharField(_("数据类别"), max_length=16, choices=RecordKind.choices)
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="import_jobs", verbose_name=_("数据来源单位")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("上传人")
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    is_all_or_nothing = models.BooleanField(_("有错误时整体不导入"), default=False)
    publish = models.BooleanField(_("导入后直接公示"), default=False)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    imported = models.PositiveIntegerField(_("已导入"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)  # [{row, field, code, message}]
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


RECORD_MODELS: dict[str, type[DisclosureRecord]] = {RecordKind.LICENSING: Licensing, RecordKind.PENALTY: Penalty}
