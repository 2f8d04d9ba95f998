"""Reads of managed API clients: the office's lists, a client's keys and calls, usage per client per day."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from .models import ApiCall, ApiClient, ApiKey, DailyUsage


def clients_for_office(*, status: str = "") -> QuerySet[ApiClient]:
    """Every client, newest application first, with what the list shows."""
    queryset = ApiClient.objects.select_related("department", "approved_by", "service_user")
    return queryset.filter(status=status) if status else queryset


def status_counts() -> dict[str, int]:
    return dict(ApiClient.objects.order_by().values_list("status").annotate(n=Count("pk")))


def client_keys(*, client: ApiClient) -> list[ApiKey]:
    return list(client.keys.select_related("created_by").order_by("-created_at", "-pk"))


def recent_calls(*, client: ApiClient, limit: int = 50) -> list[ApiCall]:
    return list(ApiCall.objects.filter(client=client).order_by("-at", "-pk")[:limit])


def daily_usage(
    *, since: datetime.date, until: datetime.date, client: ApiClient | None = None
) -> QuerySet[DailyUsage]:
    """Calls, refusals, errors and rows per client per day in [since, until], newest day first."""
    queryset = DailyUsage.objects.filter(day__gte=since, day__lte=until).select_related("client")
    if client is not None:
        queryset = queryset.filter(client=client)
    return queryset.order_by("-day", "client__name", "client_id")


def usage_totals(*, since: datetime.date, until: datetime.date) -> list[dict]:
    """Per client over the period: calls, refusals, errors, rows (one query)."""
    return list(
        DailyUsage.objects.filter(day__gte=since, day__lte=until)
        .values("client_id", "client__name", "client__organisation")
        .annotate(calls=Sum("calls"), refused=Sum("refused"), errors=Sum("errors"), rows=Sum("rows"))
        .order_by("-calls", "client_id")
    )


def today_usage(*, client: ApiClient) -> DailyUsage | None:
    return DailyUsage.objects.filter(client=client, day=timezone.localdate()).first()


def usable_keys(*, client: ApiClient) -> QuerySet[ApiKey]:
    return client.keys.usable(now=timezone.now())


def pending_count() -> int:
    return ApiClient.objects.filter(Q(status="applied")).count()
