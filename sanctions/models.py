"""List types, list entries and their steps, the joint measure catalogue, credit checks and feedback (DOMAIN §6, §7)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from credit_portal import access
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import TimeStampedModel

from .choices import (
    OPEN_STATUSES,
    BusinessMatter,
    CheckItemStatus,
    CheckSource,
    EntryStatus,
    FeedbackOutcome,
    ListColor,
    MeasureClass,
    MeasureKind,
    Obligation,
    RemovalReason,
)


class Measure(TimeStampedModel):
    """One measure of the joint reward and sanction catalogue (联合奖惩措施清单, DOMAIN §7)."""

    code = models.CharField(_("措施编号"), max_length=20, unique=True)
    name = models.CharField(_("措施名称"), max_length=200)
    measure_class = models.CharField(_("措施类别"), max_length=16, choices=MeasureClass.choices)
    kind = models.CharField(_("奖惩类型"), max_length=16, choices=MeasureKind.choices)
    text = models.TextField(_("措施内容"))
    legal_basis = models.TextField(_("设定依据"), help_text=_("法律、法规或党中央、国务院政策文件名称及条款原文。"))
    applying_authority = models.CharField(_("实施部门"), max_length=200, help_text=_("如“财政部门”“各行政许可机关”。"))
    # Which district departments apply the measure; empty means every department that meets the matter.
    departments = models.ManyToManyField(
        "registry.Department", blank=True, related_name="measures", verbose_name=_("本区实施部门")
    )
    obligation = models.CharField(_("实施要求"), max_length=8, choices=Obligation.choices, default=Obligation.MUST)
    # Codes of BusinessMatter: the catalogue is small and read whole, so a list column is enough.
    matters = models.JSONField(_("适用业务事项"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("联合奖惩措施")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def matter_labels(self) -> list[str]:
        return [str(BusinessMatter(code).label) for code in self.matters if code in BusinessMatter.values]

    def clean(self) -> None:
        unknown = [code for code in self.matters or [] if code not in BusinessMatter.values]
        if unknown:
            raise ValidationError(
                {
                    "matters": _("未知的业务事项：%(codes)s。")
                    % {"codes": pgettext("list separator", "、").join(map(str, unknown))}
                },
                code="unknown_matter",
            )
        expected = MeasureKind.REWARD if self.measure_class == MeasureClass.INCENTIVE else MeasureKind.SANCTION
        if self.kind and self.kind != expected:
            raise ValidationError(
                {"kind": _("守信激励类措施必须为“激励”，其他类别必须为“惩戒”。")}, code="kind_mismatch"
            )


class ListTypeQuerySet(models.QuerySet):
    def active(self) -> ListTypeQuerySet:
        return self.filter(is_active=True)


class ListType(TimeStampedModel):
    """A red or black list with its legal basis and rules, maintained by administrators (DOMAIN §6)."""

    code = models.SlugField(_("名单编码"), max_length=40, unique=True)
    name = models.CharField(_("名单名称"), max_length=100, unique=True)
    color = models.CharField(_("红黑名单"), max_length=8, choices=ListColor.choices)
    legal_basis = models.TextField(_("认定依据"))
    issuing_authority = models.CharField(_("认定部门"), max_length=200)
    criteria = models.TextField(_("认定标准"), blank=True)
    default_validity_months = models.PositiveIntegerField(_("默认有效期（月）"), default=36)
    early_removal_allowed = models.BooleanField(_("允许提前移出（信用修复）"), default=False)
    early_removal_rule = models.TextField(_("提前移出条件"), blank=True)
    min_months_before_repair = models.PositiveIntegerField(_("最短列入期限（月）后方可申请修复"), default=0)
    # DOMAIN §6: the statement-and-defence period is a local default, so it is data.
    notice_working_days = models.PositiveIntegerField(_("陈述申辩期限（工作日）"), default=5)
    public_notice_days = models.PositiveIntegerField(
        _("公示期（日）"), default=7, help_text=_("红名单列入前的社会公示天数。")
    )
    measures = models.ManyToManyField(Measure, blank=True, related_name="list_types", verbose_name=_("触发的措施"))
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ListTypeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("名单类型")
        ordering = ["color", "name"]

    def __str__(self) -> str:
        return self.name + _("（%(detail)s）") % {"detail": self.get_color_display()}

    @property
    def is_red(self) -> bool:
        return self.color == ListColor.RED


class ListEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> ListEntryQuerySet:
        """Clerks see their own department's entries; the credit office and administrators see all."""
        return access.scope_to_department(self, user)

    def public(self, *, today: date | None = None) -> ListEntryQuerySet:
        """Published entries in their validity: what the public lists show (DOMAIN §6)."""
        today = today or timezone.localdate()
        return self.filter(status=EntryStatus.PUBLISHED, valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )


# Columns a public page or the public API may read: no personal column of the subject (STYLE §2.6, DOMAIN §10).
PUBLIC_ENTRY_FIELDS = (
    "id",
    "status",
    "valid_from",
    "valid_to",
    "decision_document_number",
    "decision_date",
    "published_at",
    "reason",
    "list_type__id",
    "list_type__code",
    "list_type__name",
    "list_type__color",
    "list_type__legal_basis",
    "list_type__issuing_authority",
    "list_type__early_removal_rule",
    "department__id",
    "department__name",
    "subject__id",
    "subject__name",
    "subject__uscc",
    "subject__category",
)


class ListEntry(TimeStampedModel):
    """One subject on one red or black list, from proposal to removal (DOMAIN §6)."""

    upstream_kind = OutboxEvent.Kind.LIST_ENTRY

    list_type = models.ForeignKey(ListType, models.PROTECT, related_name="entries", verbose_name=_("名单类型"))
    subject = models.ForeignKey(
        "registry.Subject", models.PROTECT, related_name="list_entries", verbose_name=_("主体")
    )
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="list_entries", verbose_name=_("认定部门")
    )
    status = models.CharField(_("状态"), max_length=24, choices=EntryStatus.choices, default=EntryStatus.PROPOSED)
    reason = models.TextField(_("列入事由"))
    facts = models.TextField(_("事实依据"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("提出人")
    )
    notice_document_number = models.CharField(_("告知书文号"), max_length=100, blank=True)
    notice_date = models.DateField(_("告知日期"), null=True, blank=True)
    statement_due_date = models.DateField(_("陈述申辩截止日"), null=True, blank=True)
    is_statement_due_date_provisional = models.BooleanField(_("截止日为暂定"), default=False)
    statement = models.TextField(_("陈述申辩意见"), blank=True)
    public_notice_end_date = models.DateField(_("公示截止日"), null=True, blank=True)
    decision_document_number = models.CharField(_("认定决定书文号"), max_length=100, blank=True)
    decision_date = models.DateField(_("决定日期"), null=True, blank=True)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    removal_reason = models.CharField(_("移出原因"), max_length=16, choices=RemovalReason.choices, blank=True)
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("名单记录")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("decide_listentry", _("可作出列入名单决定")),
            ("publish_listentry", _("可公开名单记录")),
            ("remove_listentry", _("可移出名单记录")),
        ]
        indexes = [
            models.Index(fields=["subject", "status"], name="listentry_subject_status"),
            models.Index(fields=["status", "valid_to"], name="listentry_status_valid_to"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["list_type", "subject"],
                condition=Q(status__in=OPEN_STATUSES),
                name="listentry_one_open_per_type_and_subject",
                violation_error_message=_("该主体已有同一名单类型的在办或有效记录，不能重复列入；请先处理原记录。"),
                violation_error_code="overlapping_entry",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="listentry_validity_ordered",
                violation_error_message=_("有效期至不能早于有效期自。"),
                violation_error_code="validity_invalid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.list_type.name}"

    def get_absolute_url(self) -> str:
        return reverse("sanctions-public-entry", args=[self.pk])

    @property
    def is_red(self) -> bool:
        return self.list_type.color == ListColor.RED

    @property
    def public_reason(self) -> str:
        """The reason as the public may see it: ID-number-shaped text starred, a person's full name masked."""
        from disclosure.public_search import scrub_text  # the one home of that rule (DOMAIN §10)

        text = scrub_text(self.reason)
        if self.subject.is_natural_person and self.subject.name:
            text = text.replace(self.subject.name, self.subject.public_name)
        return text

    def upstream_payload(self) -> dict:
        """Fields the sharing platform receives for a list entry; never an ID number (DOMAIN §10, §12)."""
        return _payload(
            pk=self.pk,
            list_type=self.list_type,
            subject=self.subject,
            department=self.department,
            entry=self,
        )

    @classmethod
    def upstream_payloads(cls, ids) -> dict[int, dict]:
        """Payloads of many entries in one query."""
        rows = cls.objects.filter(pk__in=list(ids)).select_related("list_type", "subject", "department")
        return {
            row.pk: _payload(
                pk=row.pk, list_type=row.list_type, subject=row.subject, department=row.department, entry=row
            )
            for row in rows
        }


def _payload(*, pk, list_type, subject, department, entry) -> dict:
    return {
        "id": pk,
        "list_type": list_type.code,
        "list_type_name": list_type.name,
        "list_color": list_type.color,
        "subject_name": subject.name,
        "subject_category": subject.category,
        "uscc": subject.uscc or "",
        "registration_number": subject.registration_number,
        "reason": entry.reason,
        "decision_document_number": entry.decision_document_number,
        "decision_date": entry.decision_date.isoformat() if entry.decision_date else None,
        "valid_from": entry.valid_from.isoformat() if entry.valid_from else None,
        "valid_to": entry.valid_to.isoformat() if entry.valid_to else None,
        "status": entry.status,
        "removal_reason": entry.removal_reason,
        "source_department": department.name,
        "source_department_uscc": department.uscc,
    }


class ListEntryStep(models.Model):
    """One dated step of an entry's workflow, with who took it and the document (DOMAIN §6)."""

    entry = models.ForeignKey(ListEntry, models.CASCADE, related_name="steps", verbose_name=_("名单记录"))
    status = models.CharField(_("状态"), max_length=24, choices=EntryStatus.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("经办人")
    )
    document = models.CharField(_("文书"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("名单办理步骤")
        ordering = ["entry", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.at:%Y-%m-%d}"


class CreditCheckQuerySet(models.QuerySet):
    def visible_to(self, user) -> CreditCheckQuerySet:
        """A clerk sees their department's checks; the credit office sees all (DOMAIN §10)."""
        return access.scope_to_department(self, user)


class CreditCheck(models.Model):
    """One credit check: who asked, for which department and matter, when (kept 5 years, DOMAIN §10)."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("查询人"))
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="credit_checks", verbose_name=_("查询部门")
    )
    at = models.DateTimeField(_("查询时间"), default=timezone.now, db_index=True)
    matter = models.CharField(_("业务事项"), max_length=32, choices=BusinessMatter.choices)
    source = models.CharField(_("查询方式"), max_length=8, choices=CheckSource.choices, default=CheckSource.API)
    purpose = models.CharField(_("查询事由"), max_length=200, blank=True)
    subject_count = models.PositiveIntegerField(_("查询主体数"), default=0)
    hit_count = models.PositiveIntegerField(_("命中主体数"), default=0)
    invalid_count = models.PositiveIntegerField(_("代码有误数"), default=0)
    unknown_count = models.PositiveIntegerField(_("未找到数"), default=0)

    objects = CreditCheckQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("信用核查")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.department} {self.get_matter_display()} {self.at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("sanctions-check-detail", args=[self.pk])


class CreditCheckItem(models.Model):
    """One subject of a check with the result as it was then (a snapshot, not a live view)."""

    # No index of its own: checkitem_position_unique (check_record, position) serves lookups by check (issue 5: one
    # index fewer to write for each of a batch's 10,000 items).
    check_record = models.ForeignKey(
        CreditCheck, models.CASCADE, related_name="items", verbose_name=_("信用核查"), db_index=False
    )
    position = models.PositiveIntegerField(_("序号"))
    query = models.CharField(_("查询代码"), max_length=64)
    subject = models.ForeignKey(
        "registry.Subject", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("主体")
    )
    status = models.CharField(_("结果"), max_length=8, choices=CheckItemStatus.choices)
    has_hits = models.BooleanField(_("有命中"), default=False)
    # {"subject_name", "list_hits": [...], "penalties": {...}, "measures": [...], "errors": [...]}
    result = models.JSONField(_("结果摘要"), default=dict)

    class Meta:
        verbose_name = verbose_name_plural = _("信用核查明细")
        ordering = ["check_record", "position"]
        constraints = [models.UniqueConstraint(fields=["check_record", "position"], name="checkitem_position_unique")]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.query}"

    @property
    def measure_ids(self) -> set[int]:
        return {measure["id"] for measure in self.result.get("measures", [])}


class MeasureFeedbackQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeasureFeedbackQuerySet:
        return access.scope_to_department(self, user, field="item__check_record__department")


class MeasureFeedback(models.Model):
    """Whether a department applied a measure to a checked subject (已实施 / 未实施 with reason, DOMAIN §7)."""

    item = models.ForeignKey(CreditCheckItem, models.CASCADE, related_name="feedback", verbose_name=_("核查明细"))
    measure = models.ForeignKey(Measure, models.PROTECT, related_name="feedback", verbose_name=_("措施"))
    list_type = models.ForeignKey(
        ListType, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("触发名单")
    )
    outcome = models.CharField(_("实施情况"), max_length=16, choices=FeedbackOutcome.choices)
    reason = models.TextField(_("未实施原因"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("反馈人"))
    at = models.DateTimeField(_("反馈时间"), default=timezone.now)

    objects = MeasureFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("措施实施反馈")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "measure"],
                name="feedback_once_per_item_and_measure",
                violation_error_message=_("该主体的这项措施已反馈过。"),
                violation_error_code="duplicate_feedback",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=FeedbackOutcome.NOT_APPLIED) | ~Q(reason=""),
                name="feedback_reason_when_not_applied",
                violation_error_message=_("未实施的措施必须说明原因。"),
                violation_error_code="reason_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.get_outcome_display()}"


# --- Credit commitments and public credit evaluation (issue 11) ------------------------------------------------
from .commitments.choices import CommitmentStatus, CommitmentType  # noqa: E402


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitmentQuerySet:
        """Clerks see their own department's commitments; the credit office and administrators see all."""
        return access.scope_to_department(self, user)

    def public(self) -> CommitmentQuerySet:
        """Commitments and their fulfilment are public (national catalogue: 信用承诺及其履行情况)."""
        return self.all()


# Columns the public API may read: no personal column of the subject (DOMAIN §10).
PUBLIC_COMMITMENT_FIELDS = (
    "id",
    "commitment_type",
    "matter",
    "text",
    "commitment_date",
    "fulfil_by",
    "status",
    "resolved_date",
    "is_overdue",
    "department__id",
    "department__name",
    "subject__id",
    "subject__name",
    "subject__uscc",
    "subject__category",
)


class Commitment(TimeStampedModel):
    """A subject's written credit commitment (信用承诺) recorded by the accepting department (issue 11)."""

    subject = models.ForeignKey(
        "registry.Subject", models.PROTECT, related_name="commitments", verbose_name=_("承诺主体")
    )
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="commitments", verbose_name=_("受理部门")
    )
    commitment_type = models.CharField(_("承诺类型"), max_length=24, choices=CommitmentType.choices)
    matter = models.CharField(_("承诺事项"), max_length=200)
    text = models.TextField(_("承诺内容"))
    commitment_date = models.DateField(_("承诺日期"))
    fulfil_by = models.DateField(_("履诺期限"), null=True, blank=True)
    status = models.CharField(
        _("履行状态"), max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.PENDING
    )
    evidence = models.TextField(_("履行情况说明"), blank=True)
    resolved_date = models.DateField(_("认定日期"), null=True, blank=True)
    is_overdue = models.BooleanField(_("逾期未提供履诺材料"), default=False)
    # A broken commitment turned into a dishonesty record goes through the list workflow, notice rights included.
    list_entry = models.ForeignKey(
        ListEntry, models.SET_NULL, null=True, blank=True, related_name="commitments", verbose_name=_("失信记录")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("信用承诺")
        ordering = ["-commitment_date", "-pk"]
        permissions = [("resolve_commitment", _("可认定承诺履行情况"))]
        indexes = [
            models.Index(fields=["subject", "status"], name="commitment_subject_status"),
            models.Index(fields=["status", "fulfil_by"], name="commitment_status_fulfil_by"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fulfil_by__isnull=True) | Q(fulfil_by__gte=models.F("commitment_date")),
                name="commitment_deadline_after_date",
                violation_error_message=_("履诺期限不能早于承诺日期。"),
                violation_error_code="deadline_before_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_commitment_type_display()} · {self.matter}"


class EvaluationModelQuerySet(models.QuerySet):
    def in_force(self, *, today: date) -> EvaluationModel | None:
        """The active model with the latest effective date not after ``today``."""
        return self.filter(is_active=True, effective_date__lte=today).order_by("-effective_date", "-version").first()


class EvaluationModel(TimeStampedModel):
    """One version of the administrator-configured public credit scoring model (公共信用综合评价, issue 11).

    Weights are points per counted item, negative for dishonesty and positive for honesty; a change is a new
    version so that every grade names the rules that produced it.
    """

    version = models.PositiveIntegerField(_("版本号"), unique=True)
    name = models.CharField(_("模型名称"), max_length=100)
    is_active = models.BooleanField(_("启用"), default=True)
    effective_date = models.DateField(_("生效日期"))
    base_score = models.IntegerField(_("基础分"), default=100)
    weight_penalty_minor = models.IntegerField(_("公示中轻微处罚（每项）"), default=-2)
    weight_penalty_general = models.IntegerField(_("公示中一般处罚（每项）"), default=-5)
    weight_penalty_serious = models.IntegerField(_("公示中严重处罚（每项）"), default=-15)
    weight_black_entry = models.IntegerField(_("黑名单（每项）"), default=-30)
    weight_red_entry = models.IntegerField(_("红名单（每项）"), default=5)
    weight_commitment_broken = models.IntegerField(_("未履行承诺（每项）"), default=-10)
    weight_commitment_fulfilled = models.IntegerField(_("已履行承诺（每项）"), default=1)
    weight_repair = models.IntegerField(_("完成信用修复（每项）"), default=2)
    note = models.TextField(_("说明"), blank=True)

    objects = EvaluationModelQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("公共信用综合评价模型")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class GradeBand(models.Model):
    """A grade of one model version: symbol, meaning, lowest score, supervision suggestion (分级分类监管)."""

    model = models.ForeignKey(EvaluationModel, models.CASCADE, related_name="bands", verbose_name=_("评价模型"))
    symbol = models.CharField(_("等级符号"), max_length=8)
    meaning = models.CharField(_("等级含义"), max_length=20)
    min_score = models.IntegerField(_("最低分"), help_text=_("得分不低于此值即为该等级；最低一档可填很小的数。"))
    inspection_ratio = models.DecimalField(
        _("双随机抽查比例（%）"), max_digits=5, decimal_places=2, default=0, help_text=_("监管部门的建议抽查比例。")
    )
    suggestion = models.CharField(_("监管建议"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("评价等级")
        ordering = ["model", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "symbol"],
                name="gradeband_symbol_per_model",
                violation_error_message=_("同一模型中等级符号不能重复。"),
                violation_error_code="duplicate_grade",
            )
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.meaning}"


class SubjectGrade(models.Model):
    """A subject's current public credit grade with the reasons that produced it."""

    subject = models.OneToOneField(
        "registry.Subject", models.CASCADE, related_name="credit_grade", verbose_name=_("主体")
    )
    model = models.ForeignKey(EvaluationModel, models.PROTECT, related_name="+", verbose_name=_("评价模型"))
    score = models.IntegerField(_("得分"))
    grade = models.CharField(_("等级"), max_length=8)
    # [{"factor": code, "count": n, "points": p}, ...]: the items that moved the score.
    reasons = models.JSONField(_("评价依据"), default=list)
    computed_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("主体信用等级")
        indexes = [models.Index(fields=["grade"], name="subjectgrade_grade")]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.grade} ({self.score})"


class SubjectGradeHistory(models.Model):
    """One change of a subject's grade or score, kept for the grade history."""

    subject = models.ForeignKey(
        "registry.Subject", models.CASCADE, related_name="credit_grade_history", verbose_name=_("主体")
    )
    model = models.ForeignKey(EvaluationModel, models.PROTECT, related_name="+", verbose_name=_("评价模型"))
    score = models.IntegerField(_("得分"))
    grade = models.CharField(_("等级"), max_length=8)
    reasons = models.JSONField(_("评价依据"), default=list)
    computed_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("主体信用等级历史")
        ordering = ["subject", "-computed_at", "-pk"]
        indexes = [models.Index(fields=["subject", "computed_at"], name="gradehistory_subject_at")]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.grade} {self.computed_at:%Y-%m-%d}"


# --- Government integrity (政务诚信, issue 11, seed 004) -------------------------------------------------------
from .integrity.choices import AssessmentStatus, GovernmentRecordKind  # noqa: E402


class GovernmentRecordQuerySet(models.QuerySet):
    def public(self) -> GovernmentRecordQuerySet:
        """Records the credit office has published."""
        return self.filter(is_public=True)


class GovernmentRecord(TimeStampedModel):
    """A dishonesty record of an agency or public institution (codes 11…, 12…), filed by the credit office."""

    subject = models.ForeignKey(
        "registry.Subject", models.PROTECT, related_name="government_records", verbose_name=_("失信机关（单位）")
    )
    kind = models.CharField(_("失信类型"), max_length=24, choices=GovernmentRecordKind.choices)
    description = models.TextField(_("失信情况"))
    occurred_date = models.DateField(_("发生日期"))
    is_public = models.BooleanField(_("已公开"), default=False)
    rectified_date = models.DateField(_("整改完成日期"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人"))

    objects = GovernmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("政务失信记录")
        ordering = ["-occurred_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_kind_display()}"


class IntegrityAssessment(TimeStampedModel):
    """A department's yearly integrity assessment (政务诚信评价): criteria scores and remarks, then a total."""

    year = models.PositiveIntegerField(_("年度"))
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="integrity_assessments", verbose_name=_("被评价部门")
    )
    # [{"criterion": "…", "max_score": 10, "score": 8, "remark": "…"}]: the seed 004 ledger's items.
    items = models.JSONField(_("评价指标"), default=list)
    score = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=0)
    remarks = models.TextField(_("评价意见"), blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("评价人")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("政务诚信评价")
        ordering = ["-year", "-score", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"],
                name="assessment_once_per_year_and_department",
                violation_error_message=_("该部门本年度已有评价，请修改原评价。"),
                violation_error_code="duplicate_assessment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department}"
