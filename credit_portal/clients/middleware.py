"""API keys on endpoints that authenticate nobody (the anonymous public API), and the log of every client call."""

from __future__ import annotations

from django.http import JsonResponse

from . import gate
from .authentication import ApiKeyAuthentication


def _uses_key_authentication(view_func) -> bool:
    cls = getattr(view_func, "cls", None)
    classes = getattr(cls, "authentication_classes", None) or []
    return any(isinstance(c, type) and issubclass(c, ApiKeyAuthentication) for c in classes)


class ApiClientMiddleware:
    """Public endpoints have no authentication classes, so a key sent to them is checked here instead: it must be
    valid and hold the public-data scope, and the call counts against the quota (issue 12). Every admitted or
    refused client call is logged once its answer is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "api_call", None) is not None:
            gate.log_call(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/api/") or _uses_key_authentication(view_func):
            return None
        raw_key = gate.key_from_headers(request.META)
        if raw_key is None:
            return None
        try:
            gate.admit(raw_key=raw_key, request=request, path=request.path, view=getattr(view_func, "cls", None))
        except gate.ClientRefused as refusal:
            response = JsonResponse({"errors": [refusal.as_dict()]}, status=refusal.status)
            if refusal.wait:
                response["Retry-After"] = str(refusal.wait)
            if refusal.status == 401:
                response["WWW-Authenticate"] = 'ApiKey realm="api"'
            return response
        return None
