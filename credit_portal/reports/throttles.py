"""The per-address limit on report downloads (DOMAIN §11: 429 when rate-limited), as repair and campaigns do."""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle

from django.conf import settings


class ReportDownloadThrottle(AnonRateThrottle):
    """Anonymous downloads per client address; staff are not limited (AnonRateThrottle skips them)."""

    scope = "reports_download"

    def get_rate(self) -> str:
        return settings.REPORTS_DOWNLOAD_RATE
