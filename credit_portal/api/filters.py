"""The API's filter backend: django-filter, plus bounds that no database column can exceed (issue 9 §7); and a filter set
whose form is built once per class, for the public searches (pages and API)."""

from __future__ import annotations

import copy
from decimal import Decimal

from django_filters import FilterSet, utils
from django_filters.filters import FilterMethod
from django_filters.rest_framework import DjangoFilterBackend

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

# The widest integer column (BigAutoField, BigIntegerField): a larger number can match nothing, yet SQLite and
# psycopg raise OverflowError / DataError on it instead of answering "no rows".
MAX_INTEGER = 2**63 - 1
OUT_OF_RANGE = _("“%(value)s”超出可接受的数值范围。")
BAD_YEAR = _("年份须为 1 至 9999 之间的整数。")


def _numbers(value) -> list:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list | tuple | slice):
        items = [value.start, value.stop] if isinstance(value, slice) else list(value)
        return [number for item in items for number in _numbers(item)]
    return []


def bound_errors(filterset) -> dict[str, ValidationError]:
    """Errors for the cleaned values of a valid filterset that no query could use."""
    errors = {}
    for name, value in filterset.form.cleaned_data.items():
        filter_ = filterset.filters.get(name)
        lookup = getattr(filter_, "lookup_expr", "") or ""
        for number in _numbers(value):
            if lookup.endswith("year") and not (number == int(number) and 1 <= number <= 9999):
                errors[name] = ValidationError(BAD_YEAR, code="invalid_year")
            elif abs(number) > MAX_INTEGER:
                errors[name] = ValidationError(OUT_OF_RANGE, code="out_of_range", params={"value": number})
    return errors


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that answers 400 (standard error body) for out-of-range numbers and years."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if filterset.is_valid():
            for name, error in bound_errors(filterset).items():
                filterset.form.add_error(name, error)
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


class StaticFormFilterSet(FilterSet):
    """A filter set whose form fields need nothing of the request (no per-user choices, no request-built querysets):
    its form class is built once per class, not once per request.

    django-filter builds every filter's form field and a new form class on each request (about a millisecond for
    the public searches' seven filters, a fifth of an exact-code search's time in Python). Forms still copy their
    fields per instance, so a model-choice field's queryset is read afresh for each form. Filter sets whose choices
    depend on the user (a clerk's own department, say) must stay on ``FilterSet``.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # BaseFilterSet.__init__, except for the filters: it deep-copies them (their choices and labels too) per
        # request; here each is copied shallowly, with its own parent, extra arguments and method proxy.
        # tests/core/test_static_filtersets.py checks that both build the same attributes.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            if isinstance(base.filter, FilterMethod):
                filter_.filter = FilterMethod(filter_)  # the method is looked up on this filter set
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_static_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._static_form_class = form_class  # per class: a subclass has filters of its own
        return form_class
