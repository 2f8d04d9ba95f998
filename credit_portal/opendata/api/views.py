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
    id = serializers.IntegerField(help_text="Stable, ever-increasing id of the change")
    occurred_at = serializers.DateTimeField(help_text="When the change happened")
    kind = serializers.ChoiceField(
        choices=ChangeKind.choices,
        help_text="licensing, penalty or list_entry (object_id: the record), grade (the subject)",
    )
    action = serializers.ChoiceField(
        choices=ChangeAction.choices,
        help_text="published, corrected, withdrawn, expired, repaired (records and list entries); listed, removed "
        "(list entries); objection_opened, objection_closed (an objection about the record or list entry, shown as "
        "异议处理中 while open); grade_changed (kind grade)",
    )
    object_id = serializers.IntegerField(help_text="Id of the record or list entry; for kind grade, of the subject")
    uscc = serializers.CharField(help_text="The subject's unified social credit code; empty for a natural person")
    summary = serializers.JSONField(
        help_text="Public fields only: subject name (a natural person's masked), category, code, document number "
        "and dates; for grade_changed also old_grade, new_grade, score, model_version, evaluated_at"
    )


class ChangeFeedPageSerializer(serializers.Serializer):
    results = ChangeEventSerializer(many=True)
    next = serializers.CharField(help_text="下一页（或下次轮询）的 since 值")
    has_more = serializers.BooleanField()


class ChangeFeedView(APIView):
    """Public changes after `since` (the `next` of the previous page), oldest first; poll with the last `next`."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [FeedThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, description="上一页返回的 next；不填则从头读取"),
            OpenApiParameter("limit", int, description="每页条数，默认100，最多1000"),
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
