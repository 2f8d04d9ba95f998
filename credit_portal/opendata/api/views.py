"""Public change feed API (issue 12): anonymous, ordered, paged by an opaque cursor."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError

from .. import selectors
from ..choices import ChangeAction, ChangeKind

ERRORS = OpenApiResponse(description='{"errors": [{"field", "code", "message"}]}')
LIMIT_MESSAGE = _("limit 须为 1 至 %(max)s 之间的整数。")


class FeedThrottle(AnonRateThrottle):
    scope = "opendata_feed"
    rate = "120/min"


class ChangeEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("变化的编号，稳定且递增"))
    occurred_at = serializers.DateTimeField(help_text=_("变化发生的时间"))
    kind = serializers.ChoiceField(
        choices=ChangeKind.choices,
        help_text=_("licensing、penalty 或 list_entry（object_id 为记录或名单条目），grade（object_id 为主体）"),
    )
    action = serializers.ChoiceField(
        choices=ChangeAction.choices,
        help_text=_(
            "published、corrected、withdrawn、expired、repaired（记录和名单条目）；listed、removed（名单条目）；"
            "objection_opened、objection_closed（针对记录或名单条目的异议，处理期间显示为“异议处理中”）；"
            "grade_changed（kind 为 grade）"
        ),
    )
    object_id = serializers.IntegerField(help_text=_("记录或名单条目的编号；kind 为 grade 时为主体的编号"))
    uscc = serializers.CharField(help_text=_("主体的统一社会信用代码；自然人为空"))
    summary = serializers.JSONField(
        help_text=_(
            "仅含公开字段：主体名称（自然人经遮蔽）、类别、代码、文书号和日期；"
            "objection_closed 另含 objection_outcome：refused（不予受理）、verified（核实无误，予以维持）、"
            "corrected（已更正）或 withdrawn（已撤销）；"
            "grade_changed 另含 old_grade、new_grade、score、model_version、evaluated_at"
        )
    )


class ChangeFeedPageSerializer(serializers.Serializer):
    results = ChangeEventSerializer(many=True)
    next = serializers.CharField(help_text=_("下一页（或下次轮询）的 since 值"))
    has_more = serializers.BooleanField()


@extend_schema(description=_("`since`（上一页的 `next`）之后的公开变更，按先后顺序排列；用最后一个 `next` 轮询。"))
class ChangeFeedView(APIView):
    """Public changes after `since` (the `next` of the previous page), oldest first; poll with the last `next`."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [FeedThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, description=_("上一页返回的 next；不填则从头读取")),
            OpenApiParameter("limit", int, description=_("每页条数，默认100，最多1000")),
        ],
        responses={200: ChangeFeedPageSerializer, 400: ERRORS},
    )
    def get(self, request):
        after = selectors.decode_cursor(request.query_params.get("since"))
        limit = _limit(request.query_params.get("limit"))
        rows, has_more = selectors.change_page(after=after, limit=limit)
        last = rows[-1].pk if rows else after
        return Response(
            {
                "results": ChangeEventSerializer(rows, many=True).data,
                "next": selectors.encode_cursor(last),
                "has_more": has_more,
            }
        )


def _limit(raw: str | None) -> int:
    if raw in (None, ""):
        return settings.OPENDATA_FEED_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= settings.OPENDATA_FEED_MAX_PAGE_SIZE:
        raise DomainError(
            LIMIT_MESSAGE % {"max": settings.OPENDATA_FEED_MAX_PAGE_SIZE},
            code="invalid_limit",
            field="limit",
        )
    return int(raw)
