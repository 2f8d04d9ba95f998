"""Helpers of the API-client tests: clients applied for and approved through the services, as the office does."""

from __future__ import annotations

from rest_framework.test import APIClient

from credit_portal.clients import services
from credit_portal.clients.choices import ClientKind, Scope


def applied_client(**fields):
    values = {
        "name": "信易贷审查系统",
        "organisation": "天津测试银行",
        "kind": ClientKind.BANK,
        "contact_name": "李明",
        "contact_phone": "022-27390000",
        "owner_email": "owner@bank.example.cn",
        "scopes": [Scope.PUBLIC_DATA],
    }
    values.update(fields)
    return services.apply_for_client(**values)


def approved_client(reviewer, *, daily_quota=None, valid_from=None, valid_until=None, **fields):
    """An approved client and its first key (the key as shown once)."""
    client = applied_client(**fields)
    client, key = services.approve_client(
        client=client, by=reviewer, daily_quota=daily_quota, valid_from=valid_from, valid_until=valid_until
    )
    return client, key


def caller(key: str, *, header: str = "authorization", address: str = "10.1.2.3") -> APIClient:
    """An API client sending the key as ``Authorization: ApiKey …`` or ``X-Api-Key: …``, from an address."""
    api = APIClient(REMOTE_ADDR=address)
    if header == "authorization":
        api.credentials(HTTP_AUTHORIZATION=f"ApiKey {key}")
    else:
        api.credentials(HTTP_X_API_KEY=key)
    return api
