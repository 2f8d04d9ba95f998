"""DRF authentication by API key (issue 12): ``Authorization: ApiKey <key>`` or ``X-Api-Key: <key>``."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from django.utils.translation import gettext_lazy as _

from . import gate


class ClientRefusedError(exceptions.APIException):
    """A gate refusal in DRF's terms: its status, stable code and Chinese message; ``wait`` becomes Retry-After."""

    def __init__(self, refusal: gate.ClientRefused):
        self.status_code = refusal.status
        self.wait = refusal.wait
        super().__init__(detail=str(refusal.message), code=refusal.code)


class ApiKeyAuthentication(BaseAuthentication):
    """Authenticates a managed API client as its service account; ``request.auth`` is the ApiKey row.

    Also checks status, validity window, IP allowlist, the endpoint's scope and the daily quota (``gate.admit``).
    """

    def authenticate(self, request):
        raw_key = gate.key_from_headers(request.META)
        if raw_key is None:
            return None
        view = (request.parser_context or {}).get("view")
        try:
            key = gate.admit(raw_key=raw_key, request=request._request, path=request.path, view=view)
        except gate.ClientRefused as refusal:
            raise ClientRefusedError(refusal) from None
        return (key.client.service_user, key)

    def authenticate_header(self, request) -> str:
        return 'ApiKey realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema: an ``Authorization: ApiKey <key>`` header (or ``X-Api-Key``)."""

    target_class = "credit_portal.clients.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": _("API 客户端密钥；也可用请求头 `Authorization: ApiKey <key>`"),
        }
