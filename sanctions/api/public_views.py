"""Public 红黑名单 API (DOMAIN §6, §11): anonymous, published and current entries only, natural persons masked."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from django.utils.translation import gettext_lazy as _

from credit_portal.api.pagination import CappedCountPagination

from .. import selectors
from ..filters import PublicListEntryFilter
from . import serializers as s


@extend_schema(description=_("按名称或代码（输入完整代码时精确查找）、名单类型和红黑名单查询。"))
class PublicListEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Search by name or code (an exact code goes to the unique index), list type and red/black."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    pagination_class = CappedCountPagination
    filterset_class = PublicListEntryFilter

    def get_queryset(self):
        return selectors.public_list_entries()

    def get_serializer_class(self):
        return s.PublicListEntryDetailSerializer if self.action == "retrieve" else s.PublicListEntrySerializer
