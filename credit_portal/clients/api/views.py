"""API of managed clients (issue 12): public application, the office's approval and key management, usage, and a
client's own terms."""

from __future__ import annotations

import datetime

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credit_portal import access
from credit_portal.errors import DomainError, NotFound
from registry.models import Department

from .. import scopes, selectors, services
from ..models import ApiClient
from . import serializers as s

ERRORS = OpenApiResponse(description='{"errors": [{"field", "code", "message"}]}')
USAGE_DAYS_MAX = 366


class IsCreditOffice(permissions.BasePermission):
    """Reviewers and administrators."""

    def has_permission(self, request, view) -> bool:
        return access.sees_all_departments(request.user)


class ApplicationThrottle(AnonRateThrottle):
    scope = "clients_apply"

    def get_rate(self):
        return settings.CLIENTS_APPLY_RATE


def _department(pk: int | None) -> Department | None:
    if pk is None:
        return None
    department = Department.objects.filter(pk=pk).first()
    if department is None:
        raise DomainError(_("所选部门不存在。"), code="not_found", field="department")
    return department


@extend_schema(description=gettext_lazy("申请 API 接入（无需账号），由信用办审核。"))
class ApplicationView(APIView):
    """Apply for API access (no account needed); the credit office reviews the application."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ApplicationThrottle]
    api_client_scope = scopes.ANY

    @extend_schema(
        request=s.ClientApplicationSerializer, responses={201: s.ClientApplicationReceiptSerializer, 400: ERRORS}
    )
    def post(self, request):
        params = s.ClientApplicationSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        data["department"] = _department(data.pop("department", None))
        client = services.apply_for_client(by=request.user, request=request._request, **data)
        message = _("申请已提交，编号 %(id)s。信用办审核后将与联系人联系。") % {"id": client.pk}
        return Response({"id": client.pk, "status": client.status, "message": message}, status=201)


@extend_schema(description=gettext_lazy("信用办管理 API 客户端及其密钥：批准、拒绝、暂停、恢复，轮换和吊销密钥。"))
class ApiClientViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The credit office's API clients: approve, reject, suspend, reinstate, rotate and revoke keys (usage: UsageView)."""

    serializer_class = s.ApiClientSerializer
    permission_classes = [IsCreditOffice]
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return selectors.clients_for_office().prefetch_related("keys")

    def _answer(self, client: ApiClient, code: int = status.HTTP_200_OK) -> Response:
        client = self.get_queryset().get(pk=client.pk)
        return Response(s.ApiClientSerializer(client).data, status=code)

    def _issued(self, client: ApiClient, raw_key: str, prefix: str) -> Response:
        client = self.get_queryset().get(pk=client.pk)
        data = {"key": raw_key, "prefix": prefix, "client": s.ApiClientSerializer(client).data}
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description=gettext_lazy(
            "批准申请；客户端尚无可用密钥时签发首个密钥，以 201 返回（密钥仅显示这一次），否则以 200 返回客户端。"
        )
    )
    @extend_schema(
        request=s.ClientApproveSerializer,
        responses={201: s.IssuedKeySerializer, 200: s.ApiClientSerializer, 400: ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve; without a usable key yet the answer (201) carries the first key, shown this once only; else 200."""
        params = s.ClientApproveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        client, raw_key = services.approve_client(
            client=self.get_object(), by=request.user, request=request._request, **params.validated_data
        )
        if raw_key:
            return self._issued(client, raw_key, raw_key.split("_")[1])
        return self._answer(client)

    @extend_schema(request=s.ClientReasonSerializer, responses={200: s.ApiClientSerializer, 400: ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        params = s.ClientReasonSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        client = services.reject_client(
            client=self.get_object(), by=request.user, reason=params.validated_data["reason"], request=request._request
        )
        return self._answer(client)

    @extend_schema(request=s.ClientReasonSerializer, responses={200: s.ApiClientSerializer, 400: ERRORS})
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        params = s.ClientReasonSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        client = services.suspend_client(
            client=self.get_object(), by=request.user, reason=params.validated_data["reason"], request=request._request
        )
        return self._answer(client)

    @extend_schema(request=None, responses={200: s.ApiClientSerializer, 400: ERRORS})
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        client = services.reinstate_client(client=self.get_object(), by=request.user, request=request._request)
        return self._answer(client)

    @extend_schema(
        description=gettext_lazy("签发新密钥（仅显示一次）；旧密钥在宽限期内仍可使用。"),
        request=s.KeyRotateSerializer,
        responses={201: s.IssuedKeySerializer, 400: ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="rotate-key")
    def rotate_key(self, request, pk=None):
        """A new key (shown once); the old keys keep working for the grace period."""
        params = s.KeyRotateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        key, raw_key = services.rotate_key(
            client=self.get_object(),
            by=request.user,
            grace_hours=params.validated_data.get("grace_hours"),
            request=request._request,
        )
        return self._issued(key.client, raw_key, key.prefix)

    @extend_schema(request=s.KeyRevokeSerializer, responses={200: s.ApiClientSerializer, 400: ERRORS, 404: ERRORS})
    @action(detail=True, methods=["post"], url_path="revoke-key")
    def revoke_key(self, request, pk=None):
        params = s.KeyRevokeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        client = self.get_object()
        key = get_object_or_404(client.keys, pk=params.validated_data["key_id"])
        services.revoke_key(key=key, by=request.user, request=request._request)
        return self._answer(client)


def _period(request) -> tuple[datetime.date, datetime.date]:
    """?since=&until= (dates), by default the last 30 days; at most a year."""
    today = timezone.localdate()
    values = {}
    for name, default in (("since", today - datetime.timedelta(days=29)), ("until", today)):
        raw = request.query_params.get(name) or ""
        try:
            values[name] = datetime.date.fromisoformat(raw) if raw else default
        except ValueError:
            raise DomainError(
                _("%(name)s 须为 YYYY-MM-DD 格式的日期。") % {"name": name}, code="invalid", field=name
            ) from None
    if values["since"] > values["until"] or (values["until"] - values["since"]).days >= USAGE_DAYS_MAX:
        raise DomainError(_("统计区间须在一年以内，且起始日期不晚于结束日期。"), code="invalid_period", field="since")
    return values["since"], values["until"]


@extend_schema(description=gettext_lazy("每个客户端每天的调用、拒绝、出错次数和返回条数（信用办）。"))
class UsageView(APIView):
    """Calls, refusals, errors and rows per client per day (credit office)."""

    permission_classes = [IsCreditOffice]

    @extend_schema(
        parameters=[
            OpenApiParameter("since", datetime.date, description=gettext_lazy("起始日期，默认30天前")),
            OpenApiParameter("until", datetime.date, description=gettext_lazy("结束日期，默认今天")),
            OpenApiParameter("client", int, description=gettext_lazy("只看一个客户端")),
        ],
        responses={200: s.DailyUsageSerializer(many=True), 400: ERRORS},
    )
    def get(self, request):
        since, until = _period(request)
        client = None
        raw_client = request.query_params.get("client") or ""
        if raw_client:
            if not raw_client.isdigit() or len(raw_client) > 18:
                raise DomainError(_("client 须为客户端编号。"), code="invalid", field="client")
            client = get_object_or_404(ApiClient, pk=int(raw_client))
        rows = selectors.daily_usage(since=since, until=until, client=client)[:5000]
        return Response(s.DailyUsageSerializer(rows, many=True).data)


@extend_schema(description=gettext_lazy("API 客户端用自己的密钥调用：本客户端的使用条件、今日调用次数及其密钥。"))
class OwnTermsView(APIView):
    """A client's own terms, today's call count and its keys (with its own API key)."""

    permission_classes = [permissions.IsAuthenticated]
    api_client_scope = scopes.ANY

    @extend_schema(responses={200: s.OwnTermsSerializer, 404: ERRORS})
    def get(self, request):
        client = ApiClient.objects.filter(service_user=request.user).first() if request.user.is_authenticated else None
        if client is None:
            raise NotFound(_("此接口供API客户端以其密钥调用。"))
        usage = selectors.today_usage(client=client)
        data = {
            "name": client.name,
            "organisation": client.organisation,
            "status": client.status,
            "scopes": client.scopes,
            "daily_quota": client.quota(),
            "calls_today": usage.calls if usage else 0,
            "valid_from": client.valid_from,
            "valid_until": client.valid_until,
            "keys": s.ApiKeySerializer(selectors.client_keys(client=client), many=True).data,
        }
        return Response(data)
