"""Code lists of the 双公示 national data standard and of the record lifecycle (DOMAIN §3, §4, §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("待公示")
    PUBLISHED = "published", _("已公示")
    WITHDRAWN = "withdrawn", _("已撤销")
    STOPPED_BY_REPAIR = "stopped_by_repair", _("已修复停止公示")
    EXPIRED = "expired", _("公示期满")


class Timeliness(models.TextChoices):
    """Timeliness of a record against its 7-working-day deadline (DOMAIN §4)."""

    PENDING = "pending", _("待公示")
    ON_TIME = "on_time", _("按时公示")
    LATE = "late", _("迟报")
    OVERDUE = "overdue", _("逾期未公示")
    NOT_REQUIRED = "not_required", _("无需公示")


class LicenceCategory(models.TextChoices):
    """许可类别."""

    ORDINARY = "ordinary", _("普通")
    SPECIAL = "special", _("特许")
    RECOGNITION = "recognition", _("认可")
    APPROVAL = "approval", _("核准")
    REGISTRATION = "registration", _("登记")
    OTHER = "other", _("其他")


class LicenceState(models.TextChoices):
    """当前状态 of a licence."""

    VALID = "valid", _("有效")
    INVALID = "invalid", _("无效")


class PenaltyCategory(models.TextChoices):
    """处罚类别 of the national 双公示 standard, in the standard's order (DOMAIN §3)."""

    WARNING = "warning", _("警告")
    PUBLIC_CRITICISM = "public_criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT_BUSINESS = "restrict_business", _("限制开展生产经营活动")
    ORDER_SUSPENSION = "order_suspension", _("责令停产停业")
    ORDER_CLOSURE = "order_closure", _("责令关闭")
    RESTRICT_EMPLOYMENT = "restrict_employment", _("限制从业")
    DETENTION = "detention", _("行政拘留")
    OTHER = "other", _("其他")


# Categories that need an amount or a licence name (DOMAIN §3).
CONFISCATION_CATEGORIES = frozenset({PenaltyCategory.CONFISCATE_GAINS, PenaltyCategory.CONFISCATE_PROPERTY})
LICENCE_CATEGORIES = frozenset({PenaltyCategory.SUSPEND_LICENCE, PenaltyCategory.REVOKE_LICENCE})


class Severity(models.TextChoices):
    """失信严重程度 (local field)."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class Procedure(models.TextChoices):
    """案件程序类别 (local field)."""

    SIMPLE = "simple", _("简易程序")
    ORDINARY = "ordinary", _("普通程序")


class InfoScope(models.TextChoices):
    """信息使用范围: only 公示 records reach the public pages."""

    PUBLIC = "public", _("公示")
    INTERNAL = "internal", _("内部共享")
    AUTHORISED = "authorised", _("授权查询")


class DeadlineKind(models.TextChoices):
    PUBLICATION = "publication", _("作出决定后公示")
    REVOCATION = "revocation", _("决定撤销或变更后撤回、更正")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
