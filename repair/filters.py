"""FilterSets of the review queue, used by the page and /api/v1/repair/applications/ alike."""

from __future__ import annotations

import django_filters

from django.utils.translation import gettext_lazy as _

from credit_portal.widgets import LabelledDateRangeWidget

from .choices import ApplicationKind, ApplicationStatus, TargetKind
from .models import Application


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("查询编号或主体名称"))
    kind = django_filters.ChoiceFilter(choices=ApplicationKind.choices, label=_("申请类型"), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("状态"), empty_label=_("全部"))
    target_kind = django_filters.ChoiceFilter(choices=TargetKind.choices, label=_("信息类别"), empty_label=_("全部"))
    overdue = django_filters.BooleanFilter(field_name="is_overdue", label=_("已超期"))
    submitted_on = django_filters.DateFromToRangeFilter(
        label=_("提交日期"), widget=LabelledDateRangeWidget(name=_("提交日期"), attrs={"type": "date"})
    )

    class Meta:
        model = Application
        fields = ["q", "kind", "status", "target_kind", "department", "overdue", "submitted_on"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(tracking_number__istartswith=value) | queryset.filter(subject__name__icontains=value)
