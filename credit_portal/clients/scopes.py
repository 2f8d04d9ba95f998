"""Which scope an API call needs: one table for every endpoint, and a view attribute to say it explicitly (issue 12).

A client's key opens only the endpoints of its scopes. A view may declare ``api_client_scope = Scope.…`` (or ``ANY``
for endpoints about the client itself); otherwise the path decides below, and every path not listed is a staff
endpoint, which only the filing scope opens (its service account acts as a clerk of its department).
"""

from __future__ import annotations

from .choices import Scope

ANY = "any"  # any approved client, whatever its scopes (its own terms and usage)

# Path prefixes, most specific first.
PATH_SCOPES: tuple[tuple[str, str], ...] = (
    ("/api/v1/clients/me/", ANY),
    ("/api/schema/", ANY),
    ("/api/v1/public/", Scope.PUBLIC_DATA),
    ("/api/v1/calendar/", Scope.PUBLIC_DATA),
    ("/api/v1/registry/departments/", Scope.PUBLIC_DATA),
    ("/api/v1/registry/validate-code", Scope.PUBLIC_DATA),
    ("/api/v1/sanctions/credit-checks/", Scope.CREDIT_CHECKS),
    ("/api/v1/watch/", Scope.WATCHLISTS),
)


def required_scope(path: str, view=None) -> str:
    """The scope a call needs: the view's own declaration, else the path table, else the filing scope."""
    declared = getattr(view, "api_client_scope", None)
    if declared:
        return declared
    for prefix, scope in PATH_SCOPES:
        if path.startswith(prefix):
            return scope
    return Scope.FILING


def is_public(scope: str) -> bool:
    """Calls on public data only; their logs may be pruned before the 5 years of DOMAIN §10."""
    return scope == Scope.PUBLIC_DATA
