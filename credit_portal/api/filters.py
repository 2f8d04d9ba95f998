"""The API's filter backend: django-filter, plus bounds that no database column can exceed (issue 9 §7)."""

from __future__ import annotations

from decimal import Decimal

from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend

from django.core.exceptions import ValidationError
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
