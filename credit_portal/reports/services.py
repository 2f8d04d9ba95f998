"""Issuing public credit reports (公共信用信息报告, issue 8)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from credit_portal import audit
from registry.models import Subject, User

from . import pdf, selectors
from .models import CreditReport

# Unambiguous characters only (no 0/O, 1/I/L): the number and code are typed back in on the verification page.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_report_number(*, now) -> str:
    """XYBG + date + 10 random characters: unique and not guessable from one report to the next."""
    return f"XYBG{timezone.localtime(now):%Y%m%d}{_random(10)}"


def issue_credit_report(*, subject: Subject, site_url: str, by: User | None = None) -> tuple[CreditReport, bytes]:
    """Render the subject's report, store its number, time and digest, and return it with the PDF bytes."""
    now = timezone.now()
    profile = selectors.subject_profile(subject=subject, today=timezone.localdate(now))
    for _attempt in range(3):
        report = CreditReport(
            number=new_report_number(now=now),
            verification_code=_random(8),
            subject=subject,
            generated_at=now,
            requested_by=by if getattr(by, "is_authenticated", False) else None,
        )
        content = pdf.render_report(report=report, profile=profile, site_url=site_url)
        report.sha256 = hashlib.sha256(content).hexdigest()
        try:
            with transaction.atomic():
                report.save()
                audit.record(report, action="issued", by=report.requested_by)
        except IntegrityError:  # the same random number twice: draw again
            continue
        return report, content
    raise RuntimeError("could not draw a unique report number")
