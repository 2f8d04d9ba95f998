"""FilterSets shared by the pages and the API of the campaigns app."""

import django_filters

from django.utils.translation import gettext_lazy as _

from .choices import ComplaintStatus, KeyDate, RoleModelKind, TaskStatus
from .models import Campaign, Complaint, LedgerTask, RoleModel, StarMerchant


class CampaignFilter(django_filters.FilterSet):
    key_date = django_filters.ChoiceFilter(choices=KeyDate.choices, label=_("重要节点"))
    # Bounded: year 0 or 10000 would be a ValueError in the date lookup (a 500), not an empty list.
    year = django_filters.NumberFilter(
        field_name="start_date", lookup_expr="year", label=_("年份"), min_value=1, max_value=9999, decimal_places=0
    )

    class Meta:
        model = Campaign
        fields = ["key_date", "year", "status"]


class LedgerTaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("状态"))
    department = django_filters.NumberFilter(
        field_name="assignments__department", label=_("责任部门"), distinct=True, min_value=1, max_value=2**63 - 1
    )

    class Meta:
        model = LedgerTask
        fields = ["status", "is_overdue", "is_long_term", "department"]


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices, label=_("状态"))

    class Meta:
        model = Complaint
        fields = ["status", "is_overdue", "department", "kind"]


class RoleModelFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=RoleModelKind.choices, label=_("类型"))

    class Meta:
        model = RoleModel
        fields = ["kind"]


class StarMerchantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("商户名称"))

    class Meta:
        model = StarMerchant
        fields = ["q", "stars", "review_year"]
