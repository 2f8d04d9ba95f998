"""One error shape for the whole API: ``{"errors": [{"field", "code", "message"}]}`` (DOMAIN §11)."""

from __future__ import annotations

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from credit_portal.errors import DomainError, NotFound, PermissionDenied, ValidationFailed


def _flatten(detail, field: str | None = None) -> list[dict]:
    """Turn DRF's nested error detail into a flat list of {field, code, message}."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else key
            errors.extend(_flatten(value, f"{field}.{name}" if field and name else (name or field)))
        return errors
    if isinstance(detail, list):
        errors = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not isinstance(value, exceptions.ErrorDetail):
                errors.extend(_flatten(value, f"{field}[{index}]" if field else f"[{index}]"))
            else:
                errors.extend(_flatten(value, field))
        return errors
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": field, "code": code, "message": str(detail)}]


def validation_error_items(error: DjangoValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"field": None if name == "__all__" else name, "code": item.code or "invalid", "message": message}
            for name, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [{"field": None, "code": item.code or "invalid", "message": m} for item in error.error_list for m in item]


def exception_handler(exc, context):
    if isinstance(exc, ValidationFailed):
        return Response({"errors": [error.as_dict() for error in exc.errors]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotFound):
        return Response({"errors": [exc.as_dict()]}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response({"errors": [exc.as_dict()]}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response({"errors": [exc.as_dict()]}, status=getattr(exc, "status", status.HTTP_400_BAD_REQUEST))
    if isinstance(exc, DjangoValidationError):
        return Response({"errors": validation_error_items(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到对应的记录。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling takes over
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        errors = [{"field": None, "code": getattr(detail, "code", None) or "error", "message": str(detail)}]
    response.data = {"errors": errors}
    return response
