"""Code lists of credit repair (信用修复) and objections (异议) (DOMAIN §8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    REPAIR = "repair", _("信用修复")
    OBJECTION = "objection", _("异议申诉")


class TargetKind(models.TextChoices):
    """What the application is about: a 双公示 record or a red/black list entry."""

    PENALTY = "penalty", _("行政处罚")
    LICENSING = "licensing", _("行政许可")
    LIST_ENTRY = "list_entry", _("红黑名单")


class ApplicationStatus(models.TextChoices):
    """Steps of an application (DOMAIN §8); ``repair/transitions.py`` says which moves are allowed."""

    SUBMITTED = "submitted", _("已提交，待受理")
    MATERIALS_REQUESTED = "materials_requested", _("待补充材料")
    ACCEPTED = "accepted", _("已受理，审核中")
    ROUTED = "routed", _("已转来源部门核查")
    EXPERT_REVIEW = "expert_review", _("检测鉴定中（暂停计时）")
    ANSWERED = "answered", _("部门已答复，待办结")
    REFUSED = "refused", _("不予受理")
    APPROVED = "approved", _("准予修复")
    DENIED = "denied", _("不予修复")
    CLOSED = "closed", _("已办结")


# Statuses that still need someone's action (an open application blocks a duplicate one).
OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.MATERIALS_REQUESTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.ROUTED,
    ApplicationStatus.EXPERT_REVIEW,
    ApplicationStatus.ANSWERED,
)
# The clock stops in these statuses (DOMAIN §8: time for more materials, tests or expert review is not counted).
PAUSED_STATUSES = (ApplicationStatus.MATERIALS_REQUESTED, ApplicationStatus.EXPERT_REVIEW)
FINAL_STATUSES = (
    ApplicationStatus.REFUSED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.DENIED,
    ApplicationStatus.CLOSED,
)


class ObjectionGround(models.TextChoices):
    """Why a published record or list entry is claimed to be wrong (DOMAIN §8)."""

    WRONG = "wrong", _("信息有误")
    INCOMPLETE = "incomplete", _("信息不完整")
    PAST_PERIOD = "past_period", _("超过公示期限仍在公示")
    WRONGLY_LISTED = "wrongly_listed", _("不应列入名单")
    SECRET = "secret", _("涉及商业秘密或个人隐私")


class ObjectionOutcome(models.TextChoices):
    """The source department's answer to an objection (DOMAIN §8)."""

    VERIFIED = "verified", _("经核实无误，予以维持")
    CORRECTED = "corrected", _("已更正")
    WITHDRAWN = "withdrawn", _("已撤销")


class Deadline(models.TextChoices):
    """Which time limit an application is running against."""

    ACCEPT = "accept", _("受理期限")
    DECIDE = "decide", _("办理期限")
