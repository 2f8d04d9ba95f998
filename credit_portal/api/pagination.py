"""Page-number pagination with a client-chosen page size, capped."""

from rest_framework import pagination
from rest_framework.response import Response

from django.utils.translation import gettext_lazy as _

from credit_portal.paginators import CappedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CappedCountPagination(PageNumberPagination):
    """Public searches (issue 10 (a)): ``count`` stops at ``PUBLIC_SEARCH_COUNT_LIMIT`` and ``count_capped`` says so.

    ``count`` stays an integer (DOMAIN §11); pages end at the one holding the cap-th match.
    """

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_capped", "results"]
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_capped": {
                "type": "boolean",
                "description": _("为 true 时匹配的记录多于计数上限，count 即为该上限"),
            },
            **{name: value for name, value in response["properties"].items() if name != "count"},
        }
        return response
