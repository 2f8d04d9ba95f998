"""A paginator whose count stops at a cap, for public searches over large tables (issue 10 (a)).

Counting every match of a common name (天津: hundreds of thousands of records at city scale) costs seconds, and no
visitor pages through them: the count reads at most ``cap + 1`` matching rows
(``SELECT count(*) FROM (… LIMIT cap + 1)``) and, when there are more than ``cap``, says ``cap`` with ``capped``
set; the last page is then the one holding the cap-th match. The cap is ``PUBLIC_SEARCH_COUNT_LIMIT``.
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
