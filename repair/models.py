"""Credit repair and objection applications, their steps and materials, and the time-limit policy (DOMAIN §8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.models import TimeStampedModel

from .choices import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    ApplicationKind,
    ApplicationStatus,
    ObjectionGround,
    ObjectionOutcome,
    TargetKind,
)


class TimeLimitPolicy(TimeStampedModel):
    """Working-day limits of one kind of application, effective-dated and editable in the admin (DOMAIN §8)."""

    kind = models.CharField(_("申请类型"), max_length=16, choices=ApplicationKind.choices)
    effective_from = models.DateField(_("生效日期"))
    accept_days = models.PositiveSmallIntegerField(_("受理期限（工作日）"), default=2)
    decide_days = models.PositiveSmallIntegerField(_("办理期限（工作日）"), default=5)
    extension_days = models.PositiveSmallIntegerField(
        _("延长期限（工作日）"),
        default=5,
        help_text=_("经批准可延长一次；异议默认延长15个工作日，合计不超过20个工作日。"),
    )
    reminder_days = models.PositiveSmallIntegerField(_("提前提醒（工作日）"), default=1)
    cooloff_months = models.PositiveSmallIntegerField(
        _("两次修复最短间隔（月）"), default=12, help_text=_("仅适用于信用修复：上次修复不满该期限的，不予受理。")
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("修复与异议办理时限")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"],
                name="repair_time_limit_unique",
                violation_error_message=_("同一申请类型在同一生效日期只能有一条时限规则。"),
                violation_error_code="duplicate_policy",
            ),
            models.CheckConstraint(
                condition=Q(accept_days__gte=1) & Q(decide_days__gte=1),
                name="repair_time_limit_positive",
                violation_error_message=_("受理和办理期限至少为1个工作日。"),
                violation_error_code="days_not_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_from} {self.accept_days}/{self.decide_days}"


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationQuerySet:
        """The credit office sees every application; a clerk only those about their department's records."""
        return access.scope_to_department(self, user)

    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Application(TimeStampedModel):
    """One repair or objection application filed by the public without an account (DOMAIN §8).

    The applicant's ID number is checked against the record's keyed hash at filing and never stored (DOMAIN §10).
    """

    tracking_number = models.CharField(_("查询编号"), max_length=32, unique=True)
    kind = models.CharField(_("申请类型"), max_length=16, choices=ApplicationKind.choices)
    status = models.CharField(
        _("状态"), max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    target_kind = models.CharField(_("涉及信息类别"), max_length=16, choices=TargetKind.choices)
    penalty = models.ForeignKey(
        "disclosure.Penalty", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("行政处罚")
    )
    licensing = models.ForeignKey(
        "disclosure.Licensing", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("行政许可")
    )
    list_entry = models.ForeignKey(
        "sanctions.ListEntry", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("名单记录")
    )
    subject = models.ForeignKey("registry.Subject", models.PROTECT, related_name="+", verbose_name=_("主体"))
    # The source department (谁认定、谁修复): scopes clerks and receives objections.
    department = models.ForeignKey("registry.Department", models.PROTECT, related_name="+", verbose_name=_("认定部门"))
    ground = models.CharField(_("异议事由"), max_length=16, choices=ObjectionGround.choices, blank=True)
    statement = models.TextField(_("申请说明"))
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)

    submitted_on = models.DateField(_("提交日期"))
    accept_due_date = models.DateField(_("受理期限"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decide_due_date = models.DateField(_("办理期限"), null=True, blank=True)
    is_due_date_provisional = models.BooleanField(_("期限为暂定"), default=False)
    paused_on = models.DateField(_("暂停计时日期"), null=True, blank=True)
    paused_from = models.CharField(_("暂停前状态"), max_length=24, choices=ApplicationStatus.choices, blank=True)
    paused_working_days = models.PositiveIntegerField(_("暂停工作日数"), default=0)
    is_extended = models.BooleanField(_("已延期"), default=False)
    is_overdue = models.BooleanField(_("已超期"), default=False, db_index=True)

    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("决定人")
    )
    handling_working_days = models.IntegerField(_("办理用时（工作日）"), null=True, blank=True)
    is_within_limit = models.BooleanField(_("在时限内办结"), null=True, blank=True)

    answer_outcome = models.CharField(_("核查结果"), max_length=16, choices=ObjectionOutcome.choices, blank=True)
    answer = models.TextField(_("部门答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("答复人")
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("修复与异议申请")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("review_application", _("可审核信用修复与异议申请")),
            ("answer_objection", _("可答复异议核查")),
        ]
        indexes = [
            models.Index(fields=["status", "accept_due_date"], name="repair_app_status_accept"),
            models.Index(fields=["status", "decide_due_date"], name="repair_app_status_decide"),
            models.Index(fields=["subject", "kind", "status"], name="repair_app_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        target_kind=TargetKind.PENALTY,
                        penalty__isnull=False,
                        licensing__isnull=True,
                        list_entry__isnull=True,
                    )
                    | Q(
                        target_kind=TargetKind.LICENSING,
                        licensing__isnull=False,
                        penalty__isnull=True,
                        list_entry__isnull=True,
                    )
                    | Q(
                        target_kind=TargetKind.LIST_ENTRY,
                        list_entry__isnull=False,
                        penalty__isnull=True,
                        licensing__isnull=True,
                    )
                ),
                name="repair_app_one_target",
                violation_error_message=_("每份申请只能涉及一条记录。"),
                violation_error_code="one_target",
            ),
            models.CheckConstraint(
                condition=~Q(contact_phone="") | ~Q(contact_email=""),
                name="repair_app_has_contact",
                violation_error_message=_("请至少填写联系电话或电子邮箱中的一项。"),
                violation_error_code="contact_required",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def get_absolute_url(self) -> str:
        return reverse("repair-application", args=[self.pk])

    @property
    def target(self):
        return self.penalty or self.licensing or self.list_entry

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    @property
    def is_paused(self) -> bool:
        return bool(self.paused_on)

    @property
    def running_status(self) -> str:
        """The status the clock runs against (the one before a pause)."""
        return self.paused_from or self.status

    @property
    def due_date(self):
        """The limit now running: acceptance before acceptance, decision after."""
        if not self.is_open:
            return None
        if self.running_status == ApplicationStatus.SUBMITTED:
            return self.accept_due_date
        return self.decide_due_date

    def matches_contact(self, contact: str) -> bool:
        """Whether ``contact`` is this application's phone or e-mail (the second key of the tracking page)."""
        value = (contact or "").strip().lower()
        if not value:
            return False
        return value in {self.contact_phone.strip().lower(), self.contact_email.strip().lower()} - {""}


class ApplicationStep(models.Model):
    """One dated step of an application, shown to the applicant on the tracking page (DOMAIN §8)."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="steps", verbose_name=_("申请"))
    status = models.CharField(_("状态"), max_length=24, choices=ApplicationStatus.choices)
    action = models.CharField(_("环节"), max_length=40)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("经办人")
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("办理环节")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class Material(models.Model):
    """An uploaded PDF, JPG or PNG; its type is taken from its content, never from its name (DOMAIN §8)."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="materials", verbose_name=_("申请"))
    file = models.FileField(_("材料"), upload_to="repair/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    is_supplement = models.BooleanField(_("补充材料"), default=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("申请材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
