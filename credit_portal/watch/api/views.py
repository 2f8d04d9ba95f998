"""Watch API (issue 12): watchlists, matched changes, webhook endpoints and deliveries, each scoped to its owner.

Any authenticated account may keep watchlists: staff members, and API clients' service accounts. Another user's
list, endpoint or delivery answers 404, as a missing one would (STYLE §2.5).
"""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from django.utils.translation import gettext_lazy as _

from .. import selectors, services, webhooks
from ..models import WebhookDelivery
from .serializers import (
    CodesSerializer,
    RemovedSerializer,
    UploadReportSerializer,
    UploadSerializer,
    WatchedSubjectPageSerializer,
    WatchedSubjectSerializer,
    WatchlistSerializer,
    WatchMatchSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
    WebhookEndpointWithSecretSerializer,
)

ERRORS = OpenApiResponse(description='{"errors": [{"field", "code", "message"}]}')
SIGNATURE_DOC = _(
    '每次推送为 POST JSON（`{"delivery_id", "change"}`，change 与 /api/v1/public/changes/ 的条目相同），带请求头：'
    "`X-Webhook-Id`（幂等编号，重试不变）、`X-Webhook-Timestamp`（Unix 秒）、"
    '`X-Webhook-Signature`（`sha256=` + HMAC-SHA256(密钥, 时间戳 + "." + 原始请求体) 的十六进制）、'
    "`X-Webhook-Event`（`change.<action>`）。2xx 视为送达，其余按指数退避重试；同一主体按变化顺序送达。"
)


@extend_schema(description=_("调用者的关注名单；代码可逐个添加，或从 csv/xlsx 文件导入。"))
class WatchlistViewSet(viewsets.ModelViewSet):
    """The caller's watchlists; codes are added one by one or from a csv/xlsx file, and removed in batches."""

    serializer_class = WatchlistSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.watchlists_of(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.create_watchlist(owner=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        name = serializer.validated_data.get("name", serializer.instance.name)
        serializer.instance = services.rename_watchlist(watchlist=serializer.instance, by=self.request.user, name=name)

    def perform_destroy(self, instance):
        services.delete_watchlist(watchlist=instance, by=self.request.user)

    @extend_schema(
        description=_('GET：名单中的代码（分页）；POST `{"uscc"}`：添加一个代码（按 GB 32100-2015 校验）。'),
    )
    @extend_schema(methods=["GET"], responses={200: WatchedSubjectPageSerializer})
    @extend_schema(
        methods=["POST"], request=WatchedSubjectSerializer, responses={201: WatchedSubjectSerializer, 400: ERRORS}
    )
    @action(detail=True, methods=["get", "post"], serializer_class=WatchedSubjectSerializer)
    def subjects(self, request, pk=None):
        """GET: the list's codes (paged); POST `{"uscc"}`: add one code (checked as GB 32100-2015 says)."""
        watchlist = self.get_object()
        if request.method == "POST":
            serializer = WatchedSubjectSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            watched = services.add_code(watchlist=watchlist, by=request.user, code=serializer.validated_data["uscc"])
            return Response(WatchedSubjectSerializer(watched).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.codes_of(watchlist=watchlist))
        return self.get_paginated_response(WatchedSubjectSerializer(page, many=True).data)

    @extend_schema(
        description=_("在本名单中停止关注给定的代码。"),
        request=CodesSerializer,
        responses={200: RemovedSerializer, 400: ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="remove-subjects", serializer_class=CodesSerializer)
    def remove_subjects(self, request, pk=None):
        """Stop watching the given codes on this list."""
        watchlist = self.get_object()
        serializer = CodesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        removed = services.remove_codes(
            watchlist=watchlist, by=request.user, codes_to_remove=serializer.validated_data["codes"]
        )
        return Response({"removed": removed})

    @extend_schema(
        description=_("添加 csv/xlsx 文件中的代码（最多 100,000 个）；无效的行连同行号和原因一并返回。"),
        request={"multipart/form-data": UploadSerializer},
        responses={200: UploadReportSerializer, 400: ERRORS},
    )
    @action(
        detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser], serializer_class=UploadSerializer
    )
    def upload(self, request, pk=None):
        """Add the codes of a csv/xlsx file (up to 100,000); invalid rows come back with their row number and why."""
        watchlist = self.get_object()
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        report = services.upload_codes(watchlist=watchlist, by=request.user, handle=upload.file, name=upload.name)
        return Response(report.as_dict())


@extend_schema(description=_("涉及调用者所关注主体的公开变更，最新的在前（每条变更对每个关注者只出现一次）。"))
class WatchMatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Public changes that touched the caller's watched subjects, newest first (each change once per watcher)."""

    serializer_class = WatchMatchSerializer

    def get_queryset(self):
        return selectors.matches_of(user=self.request.user)


@extend_schema(description=SIGNATURE_DOC)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """The caller's webhook endpoints. The secret is returned on creation and by `rotate-secret` only."""

    serializer_class = WebhookEndpointSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.endpoints_of(user=self.request.user)

    @extend_schema(responses={201: WebhookEndpointWithSecretSerializer, 400: ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = webhooks.create_endpoint(owner=request.user, **serializer.validated_data)
        endpoint.secret = secret
        return Response(WebhookEndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = webhooks.update_endpoint(
            endpoint=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        webhooks.delete_endpoint(endpoint=instance, by=self.request.user)

    @extend_schema(
        description=_("生成新的签名密钥，自下一次推送尝试起生效。"),
        request=None,
        responses={200: WebhookEndpointWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new signing secret, effective for the next attempt."""
        endpoint, secret = webhooks.rotate_secret(endpoint=self.get_object(), by=request.user)
        endpoint.secret = secret
        return Response(WebhookEndpointWithSecretSerializer(endpoint).data)

    @extend_schema(
        description=_("重新启用推送地址（包括被自动停用之后）；等待中的推送随即发出。"),
        request=None,
        responses={200: WebhookEndpointSerializer},
    )
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        """Switch the endpoint on again, also after an automatic disabling; waiting deliveries go out."""
        endpoint = webhooks.enable_endpoint(endpoint=self.get_object(), by=request.user)
        return Response(WebhookEndpointSerializer(endpoint).data)


class DeliveryFilter(filters.FilterSet):
    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "status"]


@extend_schema(description=_("调用者推送地址的推送记录，最新的在前，附尝试次数和最后一次错误。"))
class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The delivery log of the caller's endpoints, newest first, with attempts and the last error."""

    serializer_class = WebhookDeliverySerializer
    filterset_class = DeliveryFilter

    def get_queryset(self):
        return selectors.deliveries_of(user=self.request.user)

    @extend_schema(
        description=_("立即重新推送这一条，幂等编号不变。"), request=None, responses={200: WebhookDeliverySerializer}
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        """Send this delivery again now, with the same idempotency id."""
        delivery = webhooks.redeliver(delivery=self.get_object(), by=request.user)
        return Response(WebhookDeliverySerializer(delivery).data)
