"""FilterSets of the registry, shared by the staff pages and the API."""

from __future__ import annotations

import django_filters

from django.utils.translation import gettext_lazy as _

from . import selectors
from .choices import SubjectCategory
from .models import Subject


class SubjectFilter(django_filters.FilterSet):
    """Staff subject search: name characters, or an exact code, 工商注册号 or ID number."""

    q = django_filters.CharFilter(method="filter_q", label=_("名称、统一社会信用代码、工商注册号或证件号码"))
    category = django_filters.ChoiceFilter(choices=SubjectCategory.choices, label=_("行政相对人类别"))

    class Meta:
        model = Subject
        fields = ["q", "category"]

    def filter_q(self, queryset, name, value):
        return selectors.search_subjects(queryset, value)
