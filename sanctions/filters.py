"""FilterSets of list entries: one for the public search (page and API alike), one for staff."""

from __future__ import annotations

import django_filters

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credit_portal.api.filters import StaticFormFilterSet
from registry import codes

from .choices import EntryStatus, ListColor, parse_choice
from .models import ListEntry, ListType


def _filter_q(queryset, name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    if codes.looks_like_uscc(value):  # exact match on the indexed column (DOMAIN §13)
        return queryset.filter(subject__uscc=codes.normalise(value))
    return queryset.filter(subject__name__icontains=value)


def _filter_color(queryset, name, value):
    color = parse_choice(ListColor, value)
    return queryset.filter(list_type__color=color) if color else queryset.none()


def _filter_type(queryset, name, value):
    value = (value or "").strip()
    if value.isdigit():
        return queryset.filter(list_type_id=int(value))
    return queryset.filter(Q(list_type__code=value) | Q(list_type__name=value))


class PublicListEntryFilter(StaticFormFilterSet):
    """Used by the public 红黑名单 page and /api/v1/public/list-entries/ alike."""

    q = django_filters.CharFilter(method=_filter_q, label=_("名称或统一社会信用代码"))
    uscc = django_filters.CharFilter(method=_filter_q, label=_("统一社会信用代码"))
    type = django_filters.CharFilter(method=_filter_type, label=_("名单类型"))
    color = django_filters.CharFilter(method=_filter_color, label=_("红黑名单"))

    class Meta:
        model = ListEntry
        fields = ["q", "uscc", "type", "color"]


class StaffListEntryFilter(PublicListEntryFilter):
    status = django_filters.ChoiceFilter(choices=EntryStatus.choices, label=_("状态"))
    list_type = django_filters.ModelChoiceFilter(queryset=ListType.objects.all(), label=_("名单类型"))

    class Meta:
        model = ListEntry
        fields = ["q", "uscc", "type", "color", "status", "list_type"]
