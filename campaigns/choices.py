"""Code lists of the integrity campaigns (DOMAIN §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyDate(models.TextChoices):
    """Key dates and periods of integrity publicity named by the district plans (DOMAIN §9)."""

    LEI_FENG_DAY = "lei_feng_day", _("3·5 学雷锋日")
    CONSUMER_RIGHTS_DAY = "consumer_rights_day", _("3·15 国际消费者权益日")
    IP_WEEK = "ip_week", _("知识产权宣传周")
    WORK_SAFETY_MONTH = "work_safety_month", _("安全生产月")
    CREDIT_RECORD_DAY = "credit_record_day", _("6·14 信用记录关爱日")
    HONEST_BUSINESS_MONTH = "honest_business_month", _("诚信兴商宣传月")
    QUALITY_MONTH = "quality_month", _("质量月")
    CONSTITUTION_DAY = "constitution_day", _("12·4 国家宪法日")
    OTHER = "other", _("其他")


# (first month, first day, last month, last day) of each key date in any year: the public calendar shows them.
KEY_DATE_SPANS: dict[str, tuple[int, int, int, int]] = {
    KeyDate.LEI_FENG_DAY: (3, 5, 3, 5),
    KeyDate.CONSUMER_RIGHTS_DAY: (3, 15, 3, 15),
    KeyDate.IP_WEEK: (4, 20, 4, 26),
    KeyDate.WORK_SAFETY_MONTH: (6, 1, 6, 30),
    KeyDate.CREDIT_RECORD_DAY: (6, 14, 6, 14),
    KeyDate.HONEST_BUSINESS_MONTH: (9, 1, 9, 30),
    KeyDate.QUALITY_MONTH: (9, 1, 9, 30),
    KeyDate.CONSTITUTION_DAY: (12, 4, 12, 4),
}


class Venue(models.TextChoices):
    """The "five into" targets: 进机关、进企业、进学校、进社区、进家庭."""

    ORGANS = "organs", _("进机关")
    ENTERPRISES = "enterprises", _("进企业")
    SCHOOLS = "schools", _("进学校")
    COMMUNITIES = "communities", _("进社区")
    FAMILIES = "families", _("进家庭")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    UNPUBLISHED = "unpublished", _("已撤下")


class MaterialKind(models.TextChoices):
    IMAGE = "image", _("图片")
    PDF = "pdf", _("PDF 文件")


class DepartmentRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    PARTICIPANT = "participant", _("参与单位")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")


class RoleModelKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("诚信企业")
    PERSON = "person", _("诚信人物")
    MERCHANT = "merchant", _("诚信商户")
    GROUP = "group", _("诚信群体")


class ComplaintKind(models.TextChoices):
    """The four areas of integrity building the plans name."""

    GOVERNMENT = "government", _("政务失信")
    BUSINESS = "business", _("商务失信")
    SOCIAL = "social", _("社会失信")
    JUDICIAL = "judicial", _("司法公信")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已受理，待分办")
    ASSIGNED = "assigned", _("已转办，部门办理中")
    ANSWERED = "answered", _("已办结")
    REJECTED = "rejected", _("不予受理")


class TalkOutcome(models.TextChoices):
    PENDING = "pending", _("整改中")
    RECTIFIED = "rectified", _("已按期整改")
    NOT_RECTIFIED = "not_rectified", _("未按期整改")
