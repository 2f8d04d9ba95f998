"""Integrity campaigns: publicity, special actions, the task ledger, role models, complaints, credit talks (DOMAIN §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credit_portal import access, uploads
from credit_portal.models import TimeStampedModel

from .choices import (
    ComplaintKind,
    ComplaintStatus,
    DepartmentRole,
    KeyDate,
    MaterialKind,
    PublicationStatus,
    RoleModelKind,
    TalkOutcome,
    TaskStatus,
    Venue,
)

if TYPE_CHECKING:
    from registry.models import User

UPLOAD_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_KINDS = {"application/pdf", "image/png", "image/jpeg"}


def validate_upload(file) -> None:
    """PDF, PNG or JPEG by content, not only by name, and at most 10 MB: uploads come from the public."""
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件不能超过 10 MB。"), code="file_too_large")
    # The content must be a PDF, PNG or JPEG and the name's extension must fit it: a PNG named .pdf, or an HTML page
    # named .jpg, is refused (issue 9 §5).
    name = getattr(file, "name", "") or ""
    if uploads.sniff(file) not in _KINDS or not uploads.content_matches_name(file, name):
        raise ValidationError(_("只能上传 PDF、JPG 或 PNG 文件。"), code="invalid_file_type")


UPLOAD_VALIDATORS = [FileExtensionValidator(UPLOAD_EXTENSIONS), validate_upload]


# --- Publicity campaigns ----------------------------------------------------------------------------------------
class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CampaignQuerySet:
        """The office sees every campaign; a clerk those their department organises or takes part in."""
        if access.sees_all_departments(user):
            return self
        if access.is_clerk(user) and user.department_id:
            through = Campaign.participating_departments.through
            joined = through.objects.filter(campaign=OuterRef("pk"), department=user.department_id)
            return self.filter(Q(organiser=user.department_id) | Exists(joined))
        return self.none()

    def public(self) -> CampaignQuerySet:
        return self.filter(status=PublicationStatus.PUBLISHED)


class Campaign(TimeStampedModel):
    """A publicity campaign (诚信宣传活动) around a key date or period (DOMAIN §9)."""

    title = models.CharField(_("活动名称"), max_length=200)
    theme = models.CharField(_("主题"), max_length=200, blank=True)
    key_date = models.CharField(_("重要节点"), max_length=32, choices=KeyDate.choices, default=KeyDate.OTHER)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    organiser = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="organised_campaigns", verbose_name=_("组织单位")
    )
    participating_departments = models.ManyToManyField(
        "registry.Department", blank=True, related_name="joined_campaigns", verbose_name=_("参与单位")
    )
    # Codes of ``choices.Venue``: the "five into" targets the campaign reaches.
    venues = models.JSONField(_("宣传阵地"), default=list, blank=True)
    channels = models.CharField(_("宣传渠道"), max_length=300, blank=True, help_text=_("例如：宣传栏、电子屏、公众号"))
    summary = models.TextField(_("活动简介"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("创建人")
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("诚信宣传活动")
        ordering = ["-start_date", "-pk"]
        permissions = [("publish_campaign", _("可发布诚信宣传活动"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="campaign_end_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
                violation_error_code="end_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns-detail", args=[self.pk])


class CampaignPost(TimeStampedModel):
    """A news post of a campaign; its body is sanitised rich text (``campaigns.sanitize``)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="posts", verbose_name=_("宣传活动"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    posted_on = models.DateField(_("发布日期"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("作者")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("活动新闻")
        ordering = ["-posted_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CampaignActivity(TimeStampedModel):
    """An activity held under a campaign and reported by a department (where, when, how many people)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="activities", verbose_name=_("宣传活动"))
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="campaign_activities", verbose_name=_("开展单位")
    )
    held_on = models.DateField(_("开展日期"))
    venue = models.CharField(_("宣传阵地"), max_length=16, choices=Venue.choices, blank=True)
    title = models.CharField(_("活动内容"), max_length=200)
    description = models.TextField(_("情况说明"), blank=True)
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("宣传活动开展情况")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CampaignMaterial(TimeStampedModel):
    """A poster, photo or PDF leaflet of a campaign, shown with the published campaign."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="materials", verbose_name=_("宣传活动"))
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=8, choices=MaterialKind.choices)
    file = models.FileField(_("文件"), upload_to="campaigns/materials/%Y/%m/", validators=UPLOAD_VALIDATORS)

    class Meta:
        verbose_name = verbose_name_plural = _("宣传材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


# --- Special governance actions (专项治理) ------------------------------------------------------------------------
class SpecialActionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> SpecialActionQuerySet:
        """The office sees every action; a clerk sees the actions their department leads or joins."""
        if access.sees_all_departments(user):
            return self
        if access.is_clerk(user) and user.department_id:
            return self.filter(
                Exists(ActionDepartment.objects.filter(action=OuterRef("pk"), department=user.department_id))
            )
        return self.none()

    def public(self) -> SpecialActionQuerySet:
        return self.filter(is_public=True)


class SpecialAction(TimeStampedModel):
    """A special governance action (专项治理) of the district plan, with lead and participating units (seed 001)."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    title = models.CharField(_("专项治理名称"), max_length=200)
    goals = models.TextField(_("工作目标"), blank=True)
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    # The units as the plan names them; ``services.link_seed_departments`` turns them into ActionDepartment rows.
    lead_names = models.JSONField(_("牵头单位（原文）"), default=list, blank=True)
    participant_names = models.JSONField(_("参与单位（原文）"), default=list, blank=True)
    departments = models.ManyToManyField(
        "registry.Department", through="ActionDepartment", related_name="special_actions", verbose_name=_("责任单位")
    )
    is_public = models.BooleanField(_("对外公开"), default=True)

    objects = SpecialActionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("专项治理行动")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActionDepartment(models.Model):
    """A unit that leads or joins a special action; each reports its progress monthly."""

    action = models.ForeignKey(SpecialAction, models.CASCADE, related_name="assignments", verbose_name=_("专项治理"))
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="action_assignments", verbose_name=_("单位")
    )
    role = models.CharField(_("职责"), max_length=16, choices=DepartmentRole.choices)

    class Meta:
        verbose_name = verbose_name_plural = _("专项治理责任单位")
        ordering = ["action__number", "role", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "department"],
                name="action_department_once",
                violation_error_message=_("该单位已是本专项治理的责任单位。"),
                violation_error_code="duplicate_department",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.department}"


class ActionReportQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ActionReportQuerySet:
        return access.scope_to_department(self, user)


class ActionReport(TimeStampedModel):
    """A unit's monthly progress report on a special action to the civilisation office (seed 001 §七.3)."""

    action = models.ForeignKey(SpecialAction, models.PROTECT, related_name="reports", verbose_name=_("专项治理"))
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="action_reports", verbose_name=_("报送单位")
    )
    period = models.DateField(_("报送月份"), help_text=_("该月的第一天"))  # services.month_start() normalises it
    text = models.TextField(_("工作进展"))
    # Figures the unit reports, e.g. {"检查企业": 12, "立案": 3}.
    figures = models.JSONField(_("工作数据"), default=dict, blank=True)
    attachment = models.FileField(
        _("附件"),
        upload_to="campaigns/reports/%Y/%m/",
        blank=True,
        validators=UPLOAD_VALIDATORS,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("报送人")
    )

    objects = ActionReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("专项治理月度进展")
        ordering = ["-period", "action__number", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "department", "period"],
                name="action_report_once_a_month",
                violation_error_message=_("本单位本月已报送该专项治理的进展，请修改已报送的内容。"),
                violation_error_code="duplicate_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.department} · {self.period:%Y-%m}"


# --- Task ledger (工作台账) ---------------------------------------------------------------------------------------
class LedgerTaskQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> LedgerTaskQuerySet:
        """The office sees the whole ledger; a clerk sees the tasks their department is responsible for."""
        if access.sees_all_departments(user):
            return self
        if access.is_clerk(user) and user.department_id:
            return self.filter(
                Exists(TaskDepartment.objects.filter(task=OuterRef("pk"), department=user.department_id))
            )
        return self.none()


class LedgerTask(TimeStampedModel):
    """A task of the work ledger with its responsible units and deadline (a date, or 长期坚持) (seed 004)."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    section = models.CharField(_("措施任务"), max_length=100)
    description = models.TextField(_("工作任务"))
    responsible_text = models.CharField(_("责任部门（原文）"), max_length=300)
    lead_names = models.JSONField(_("牵头单位（原文）"), default=list, blank=True)
    participant_names = models.JSONField(_("参与单位（原文）"), default=list, blank=True)
    departments = models.ManyToManyField(
        "registry.Department", through="TaskDepartment", related_name="ledger_tasks", verbose_name=_("责任部门")
    )
    deadline_date = models.DateField(_("完成时限"), null=True, blank=True)
    is_long_term = models.BooleanField(_("长期坚持"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    is_overdue = models.BooleanField(_("已逾期"), default=False, db_index=True)

    objects = LedgerTaskQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("工作台账任务")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(is_long_term=True) & Q(deadline_date__isnull=True))
                | (Q(is_long_term=False) & Q(deadline_date__isnull=False)),
                name="ledger_task_deadline_or_long_term",
                violation_error_message=_("请填写完成时限，或勾选“长期坚持”（二者选一）。"),
                violation_error_code="deadline_required",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description[:30]}"

    @property
    def deadline_display(self) -> str:
        return str(_("长期坚持")) if self.is_long_term else f"{self.deadline_date:%Y-%m-%d}"


class TaskDepartment(models.Model):
    """A unit responsible (lead or participating) for a ledger task."""

    task = models.ForeignKey(LedgerTask, models.CASCADE, related_name="assignments", verbose_name=_("任务"))
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="task_assignments", verbose_name=_("单位")
    )
    role = models.CharField(_("职责"), max_length=16, choices=DepartmentRole.choices)

    class Meta:
        verbose_name = verbose_name_plural = _("台账责任单位")
        ordering = ["task__number", "role", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"],
                name="task_department_once",
                violation_error_message=_("该单位已是本任务的责任单位。"),
                violation_error_code="duplicate_department",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.department}"


class TaskReportQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> TaskReportQuerySet:
        return access.scope_to_department(self, user)


class TaskReport(TimeStampedModel):
    """A responsible unit's progress report on a ledger task."""

    task = models.ForeignKey(LedgerTask, models.PROTECT, related_name="reports", verbose_name=_("任务"))
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="task_reports", verbose_name=_("报送单位")
    )
    text = models.TextField(_("进展情况"))
    status = models.CharField(_("报送时任务状态"), max_length=16, choices=TaskStatus.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("报送人")
    )

    objects = TaskReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("台账进展")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task} · {self.department}"


# --- Role models and star-rated merchants -----------------------------------------------------------------------
class RoleModelQuerySet(models.QuerySet):
    def public(self) -> RoleModelQuerySet:
        return self.filter(is_published=True)


class RoleModel(TimeStampedModel):
    """An integrity role model (诚信典型): an enterprise, a person, a merchant or a group, with its honour."""

    kind = models.CharField(_("类型"), max_length=16, choices=RoleModelKind.choices)
    name = models.CharField(_("名称或姓名"), max_length=200)
    subject = models.ForeignKey(
        "registry.Subject", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("对应主体")
    )
    honour = models.CharField(_("荣誉称号"), max_length=200)
    awarded_on = models.DateField(_("授予日期"))
    awarding_body = models.CharField(_("授予单位"), max_length=200)
    story = models.TextField(_("先进事迹"), blank=True)
    # The red-list entry (sanctions app) this honour corresponds to, by its number: campaigns depends on registry only.
    red_list_reference = models.CharField(_("对应红名单编号"), max_length=64, blank=True)
    is_published = models.BooleanField(_("公开展示"), default=False)

    objects = RoleModelQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("诚信典型")
        ordering = ["-awarded_on", "-pk"]

    def __str__(self) -> str:
        return self.name + _("（%(detail)s）") % {"detail": self.honour}

    @property
    def public_name(self) -> str:
        """A person's given name is masked on public pages (DOMAIN §10)."""
        from credit_portal import masking

        return masking.mask_name(self.name) if self.kind == RoleModelKind.PERSON else self.name


class StarMerchantQuerySet(models.QuerySet):
    def public(self) -> StarMerchantQuerySet:
        return self.filter(is_published=True)


class StarMerchant(TimeStampedModel):
    """A star-rated honest merchant (星级诚信示范商户), rated 1–5 stars at its yearly review (seed 002)."""

    name = models.CharField(_("商户名称"), max_length=200)
    subject = models.ForeignKey(
        "registry.Subject", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("对应主体")
    )
    address = models.CharField(_("经营地址"), max_length=300, blank=True)
    trade = models.CharField(_("行业"), max_length=100, blank=True)
    stars = models.PositiveSmallIntegerField(_("星级"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    review_year = models.PositiveSmallIntegerField(_("评定年度"))
    awarding_body = models.CharField(_("授牌单位"), max_length=200)
    is_published = models.BooleanField(_("公开展示"), default=True)

    objects = StarMerchantQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("星级诚信示范商户")
        ordering = ["-review_year", "-stars", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5),
                name="star_merchant_stars_1_to_5",
                violation_error_message=_("星级应为 1 至 5 星。"),
                violation_error_code="invalid_stars",
            ),
            models.UniqueConstraint(
                fields=["name", "review_year"],
                name="star_merchant_once_a_year",
                violation_error_message=_("该商户本年度已评定星级，请修改原记录。"),
                violation_error_code="duplicate_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {'★' * self.stars}"


# --- Complaints and reports (诚信建设投诉举报) ---------------------------------------------------------------------
class ComplaintPolicy(models.Model):
    """The handling time of complaints in working days, effective-dated so the office can change it (STYLE §2.9)."""

    effective_from = models.DateField(_("生效日期"), unique=True)
    handling_working_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("投诉办理时限")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d}: {self.handling_working_days}"


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ComplaintQuerySet:
        return access.scope_to_department(self, user)


# Columns the public tracking page reads: no complainant data leaves the database there (DOMAIN §10).
PUBLIC_COMPLAINT_FIELDS = (
    "id",
    "tracking_number",
    "kind",
    "accused_name",
    "status",
    "filed_at",
    "department__name",
    "assigned_at",
    "due_date",
    "is_due_date_provisional",
    "answer",
    "answered_at",
    "is_overdue",
)


class Complaint(TimeStampedModel):
    """A complaint about dishonest conduct filed by the public, followed by its tracking number (seed 002)."""

    tracking_number = models.CharField(_("查询编号"), max_length=24, unique=True)
    kind = models.CharField(_("投诉类别"), max_length=16, choices=ComplaintKind.choices)
    accused_name = models.CharField(_("被投诉对象"), max_length=200)
    accused_uscc = models.CharField(_("被投诉对象统一社会信用代码"), max_length=18, blank=True)
    facts = models.TextField(_("投诉事项"))
    is_anonymous = models.BooleanField(_("匿名投诉"), default=False)
    # Personal data of the complainant: staff only, never on public pages or answers (DOMAIN §10).
    contact_name = models.CharField(_("投诉人姓名"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    filed_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    department = models.ForeignKey(
        "registry.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("承办部门"),
    )
    assigned_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("转办人")
    )
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    is_due_date_provisional = models.BooleanField(_("期限为暂定"), default=False)
    answer = models.TextField(_("办理结果"), blank=True)
    answered_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("办理人")
    )
    is_overdue = models.BooleanField(_("已超期"), default=False, db_index=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("诚信建设投诉举报")
        ordering = ["-filed_at", "-pk"]
        permissions = [
            ("assign_complaint", _("可转办投诉")),
            ("answer_complaint", _("可办理投诉")),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="complaint_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=True) | ~Q(contact_phone="") | ~Q(contact_email=""),
                name="complaint_contact_unless_anonymous",
                violation_error_message=_("请留下联系电话或电子邮箱，或选择匿名投诉。"),
                violation_error_code="contact_required",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_at is None or self.due_date is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.answered_at) <= self.due_date


class ComplaintEvidence(models.Model):
    """An evidence file uploaded with a complaint (PDF, JPG, PNG): staff only."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="evidence", verbose_name=_("投诉"))
    file = models.FileField(_("证据材料"), upload_to="campaigns/complaints/%Y/%m/", validators=UPLOAD_VALIDATORS)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("投诉证据材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name


# --- Credit talks (约谈) ------------------------------------------------------------------------------------------
class CreditTalkQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CreditTalkQuerySet:
        return access.scope_to_department(self, user)


class CreditTalk(TimeStampedModel):
    """A credit talk (约谈) with a subject's legal representative, the agreed rectification and its follow-up."""

    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="credit_talks", verbose_name=_("约谈单位")
    )
    departments_present = models.ManyToManyField(
        "registry.Department", blank=True, related_name="+", verbose_name=_("参加单位")
    )
    subject = models.ForeignKey("registry.Subject", models.PROTECT, related_name="+", verbose_name=_("约谈对象"))
    held_on = models.DateField(_("约谈日期"))
    attendee = models.CharField(_("到场负责人"), max_length=100, help_text=_("法定代表人或主要负责人"))
    reason = models.TextField(_("约谈事由"))
    rectification = models.TextField(_("整改要求"))
    rectification_deadline = models.DateField(_("整改期限"))
    outcome = models.CharField(_("整改结果"), max_length=16, choices=TalkOutcome.choices, default=TalkOutcome.PENDING)
    follow_up = models.TextField(_("跟踪情况"), blank=True)
    followed_up_on = models.DateField(_("跟踪日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )

    objects = CreditTalkQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("信用约谈")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rectification_deadline__gte=models.F("held_on")),
                name="credit_talk_deadline_after_talk",
                violation_error_message=_("整改期限不能早于约谈日期。"),
                violation_error_code="deadline_before_talk",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.held_on:%Y-%m-%d}"
