"""Domain errors: refusals with a stable machine-readable code and a message for people (STYLE §2.4)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused operation; ``field`` names the input at fault where there is one."""

    code = "domain_error"
    default_message = _("操作未能完成。")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None, params=None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.field = field
        self.params = params or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": str(self.message)}


class PermissionDenied(DomainError):
    code = "permission_denied"
    default_message = _("您没有执行此操作的权限。")


class NotFound(DomainError):
    code = "not_found"
    default_message = _("未找到对应的记录。")


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"


class ValidationFailed(DomainError):
    """Several field errors at once; ``errors`` is a list of DomainError."""

    code = "invalid"

    def __init__(self, errors: list[DomainError]):
        self.errors = errors
        super().__init__("; ".join(str(error.message) for error in errors), field=None)
