"""The credit report as PDF: WeasyPrint with Debian's CJK fonts (fonts-noto-cjk), a QR code drawn by segno."""

from __future__ import annotations

from urllib.parse import urljoin

import segno

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .models import CreditReport
from .selectors import SubjectProfile


def verification_url(*, report: CreditReport, site_url: str) -> str:
    """The absolute address the QR code and the printed text point to."""
    return urljoin(site_url, report.get_absolute_url())


def qr_data_uri(url: str) -> str:
    """A pure-Python SVG QR code as a data URI (no image library, no network)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def render_report(*, report: CreditReport, profile: SubjectProfile, site_url: str) -> bytes:
    """Render the report's HTML and turn it into PDF bytes."""
    import weasyprint  # imported late: pages that never print do not load pango

    url = verification_url(report=report, site_url=site_url)
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "profile": profile,
            "generated_at": timezone.localtime(report.generated_at),
            "verify_url": url,
            "qr": qr_data_uri(url),
            "font_family": settings.REPORTS_PDF_FONT,
            "PORTAL_NAME": settings.PORTAL_NAME,
            "PORTAL_OPERATOR": settings.PORTAL_OPERATOR,
        },
    )
    return weasyprint.HTML(string=html, base_url=site_url).write_pdf()
