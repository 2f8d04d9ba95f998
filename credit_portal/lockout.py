"""Brute-force protection of password logins (django-axes), tolerant of callers that pass no request."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuses locked-out username/address pairs; request-less calls (shell, test client) go on to ModelBackend.

    Every login form of the portal (staff login, Django admin) passes the request, so these are always checked;
    API tokens never go through ``authenticate`` at all.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
