"""A paginator whose count stops at a cap, for public searches over large tables (issue 10 (a)).

Counting every match of a common name (天津: hundreds of thousands of records at city scale) costs seconds, and no
visitor pages through them: the count reads at most ``cap + 1`` matching rows
(``SELECT count(*) FROM (… LIMIT cap + 1)``) and, when there are more than ``cap``, says ``cap`` with ``capped``
set; the last page is then the one holding the cap-th match. The cap is ``PUBLIC_SEARCH_COUNT_LIMIT``.

The first page is read before anything is counted: when it holds fewer rows than a page, they are the whole result
and no count query is sent (a search by code or a rare name, most public searches: one query instead of two).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


def public_count_limit() -> int:
    return settings.PUBLIC_SEARCH_COUNT_LIMIT


class CappedPaginator(Paginator):
    """``count`` is at most ``cap``; ``capped`` tells whether more matches exist."""

    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = public_count_limit() if cap is None else cap

    def page(self, number):
        if self._first_page_number(number) != 1 or not hasattr(self.object_list, "query") or self.orphans:
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page and "_capped_count" not in self.__dict__:
            if not rows and not self.allow_empty_first_page:
                return super().page(number)
            # The whole result: its length is the count (capped like any count).
            self.__dict__["_capped_count"] = (min(len(rows), self.cap), len(rows) > self.cap)
        self.validate_number(1)  # counts, unless known above
        return self._get_page(rows[: self.count], 1, self)  # nothing past the cap, as on the other pages

    def get_page(self, number):
        if self._first_page_number(number) == 1:
            return self.page(1)
        return super().get_page(number)

    @staticmethod
    def _first_page_number(number) -> int | None:
        """1 for the first page, as the default paginator would read ``number`` (absent or invalid: the first)."""
        if number in (None, ""):
            return 1
        try:
            return int(number) if float(number) == int(number) else None
        except (TypeError, ValueError):
            return None

    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        object_list = self.object_list
        if hasattr(object_list, "query"):  # a QuerySet: count a bounded slice, no ORDER BY or joins
            total = object_list.order_by().select_related(None)[: self.cap + 1].count()
        else:
            total = len(object_list)
        return min(total, self.cap), total > self.cap

    @cached_property
    def count(self) -> int:
        return self._capped_count[0]

    @property
    def capped(self) -> bool:
        return self._capped_count[1]
