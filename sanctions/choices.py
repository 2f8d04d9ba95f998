"""Code lists of red and black lists, the joint measure catalogue and credit checks (DOMAIN §6, §7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListColor(models.TextChoices):
    """红名单 (rewarded trustworthiness) or 黑名单 (serious dishonesty)."""

    RED = "red", _("红名单")
    BLACK = "black", _("黑名单")


class EntryStatus(models.TextChoices):
    """Steps of a list entry (DOMAIN §6); red entries skip the notice and statement steps."""

    PROPOSED = "proposed", _("拟列入")
    NOTICE_SERVED = "notice_served", _("已告知")
    STATEMENT_RECORDED = "statement_recorded", _("已陈述申辩")
    DECIDED = "decided", _("已决定列入")
    PUBLIC_NOTICE = "public_notice", _("公示中")
    PUBLISHED = "published", _("已公开")
    REJECTED = "rejected", _("不予列入")
    REMOVED = "removed", _("已移出")


# Statuses of an entry that still counts for overlap (an in-progress or current listing).
OPEN_STATUSES = (
    EntryStatus.PROPOSED,
    EntryStatus.NOTICE_SERVED,
    EntryStatus.STATEMENT_RECORDED,
    EntryStatus.DECIDED,
    EntryStatus.PUBLIC_NOTICE,
    EntryStatus.PUBLISHED,
)


class RemovalReason(models.TextChoices):
    """Why an entry left its list (DOMAIN §6)."""

    EXPIRED = "expired", _("有效期届满")
    REPAIRED = "repaired", _("信用修复")
    REVOKED = "revoked", _("决定撤销")


class MeasureClass(models.TextChoices):
    """Classes of the national 失信惩戒措施基础清单 (DOMAIN §7), plus the incentives of red lists."""

    PUBLIC = "1", _("第一类：公共管理机构减损权益或增加义务的措施")
    MARKET = "2", _("第二类：公共管理机构协调金融机构、市场机构实施的措施")
    SELF_REGULATION = "3", _("第三类：行业协会商会实施的自律管理措施")
    INCENTIVE = "incentive", _("守信激励措施")


class MeasureKind(models.TextChoices):
    REWARD = "reward", _("激励")
    SANCTION = "sanction", _("惩戒")


class Obligation(models.TextChoices):
    """Whether the applying department must (应当) or may (可以) apply the measure."""

    MUST = "must", _("应当实施")
    MAY = "may", _("可以实施")


class BusinessMatter(models.TextChoices):
    """Business matters in which a credit check is made (DOMAIN §7)."""

    ADMINISTRATIVE_LICENSING = "administrative_licensing", _("行政许可")
    GOVERNMENT_PROCUREMENT = "government_procurement", _("政府采购")
    BIDDING = "bidding", _("招标投标")
    PUBLIC_FUNDS = "public_funds", _("财政资金")
    AWARDS = "awards", _("评优评先")
    STATE_ENTERPRISE_POSTS = "state_enterprise_posts", _("国企任职")
    PUBLIC_RESOURCE_TRADING = "public_resource_trading", _("公共资源交易")
    MARKET_ENTRY = "market_entry", _("市场准入")
    DAILY_SUPERVISION = "daily_supervision", _("日常监管")
    FINANCING = "financing", _("融资信贷")
    OTHER = "other", _("其他")


class CheckItemStatus(models.TextChoices):
    FOUND = "found", _("已找到主体")
    UNKNOWN = "unknown", _("未找到主体")
    INVALID = "invalid", _("代码有误")


class CheckSource(models.TextChoices):
    API = "api", _("接口")
    PAGE = "page", _("页面查询")
    UPLOAD = "upload", _("批量上传")


class FeedbackOutcome(models.TextChoices):
    APPLIED = "applied", _("已实施")
    NOT_APPLIED = "not_applied", _("未实施")


def parse_choice(choices: type[models.TextChoices], value: str) -> str | None:
    """Our code or the standard's Chinese label → our code (DOMAIN §11); None when neither matches."""
    value = (value or "").strip()
    if value in choices.values:
        return value
    for code, label in choices.choices:
        if str(label) == value:
            return code
    return None
