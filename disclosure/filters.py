"""FilterSets of the staff record lists, shared by the clerk pages and /api/v1/disclosure/ (STYLE §3)."""

from __future__ import annotations

import django_filters

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credit_portal.widgets import LabelledDateRangeWidget
from registry import codes
from registry.models import Department

from .choices import RecordStatus, Timeliness
from .models import Licensing, Penalty


class StaffRecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("名称、统一社会信用代码或文书号"))
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices, label=_("状态"))
    timeliness = django_filters.ChoiceFilter(choices=Timeliness.choices, label=_("及时性"))
    decision_date = django_filters.DateFromToRangeFilter(
        label=_("决定日期"), widget=LabelledDateRangeWidget(name=_("决定日期"), attrs={"type": "date"})
    )
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("数据来源单位"))

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        if codes.looks_like_uscc(value):  # exact match on the indexed column (DOMAIN §13)
            return queryset.filter(uscc=codes.normalise(value))
        return queryset.filter(Q(subject_name__icontains=value) | Q(document_number__icontains=value))


class StaffLicensingFilter(StaffRecordFilter):
    class Meta:
        model = Licensing
        fields = ["q", "status", "timeliness", "decision_date", "department", "licence_category"]


class StaffPenaltyFilter(StaffRecordFilter):
    class Meta:
        model = Penalty
        fields = ["q", "status", "timeliness", "decision_date", "department", "severity"]
