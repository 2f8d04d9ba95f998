"""Production settings send the security headers and set the cookie, session and password rules (issue 9 §2, §6)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parents[2]

# Run in a separate process: the transport settings are read from the environment when settings.py is imported.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
settings.ALLOWED_HOSTS = ["credit.example.gov.cn"]
client = Client(HTTP_HOST="credit.example.gov.cn")
secure = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/", secure=False)
print(json.dumps({
    "headers": dict(secure.headers),
    "cookies": {name: dict(morsel.items()) for name, morsel in secure.cookies.items()},
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "settings": {name: getattr(settings, name) for name in (
        "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST", "SECURE_HSTS_SECONDS")},
}))
"""


@pytest.fixture(scope="module")
def production():
    keep = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "HTTPS", "SECRET_KEY"}}
    env = {**keep, "DEBUG": "0", "HTTPS": "1", "SECRET_KEY": secrets.token_urlsafe(60)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "credit_portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_page_sends_hsts_frame_referrer_and_nosniff_headers(production):
    headers = production["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_production_page_sends_a_strict_content_security_policy(production):
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in production["headers"]["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline scripts, nothing from other sites
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_production_cookies_are_secure_and_plain_http_is_redirected(production):
    assert production["settings"]["DEBUG"] is False
    assert production["settings"]["SESSION_COOKIE_SECURE"] and production["settings"]["CSRF_COOKIE_SECURE"]
    csrf = production["cookies"]["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"
    assert production["plain_status"] == 301 and production["plain_location"].startswith("https://")


def test_staff_sessions_expire_after_thirty_minutes_without_a_request(production):
    assert production["settings"]["SESSION_COOKIE_AGE"] == 30 * 60
    assert production["settings"]["SESSION_SAVE_EVERY_REQUEST"] is True  # inactivity, not since login
    assert production["settings"]["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.django_db
def test_staff_session_cookie_is_renewed_on_each_request_and_expires(client, clerk):
    client.force_login(clerk)
    response = client.get("/staff/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize("password", ["short-1A!", "12345678901234", "password12345", "clerk_a-2026"])
@pytest.mark.django_db
def test_weak_passwords_are_refused(password, clerk):
    with pytest.raises(ValidationError):
        validate_password(password, user=clerk)


@pytest.mark.django_db
def test_a_long_uncommon_password_is_accepted(clerk):
    validate_password("Ginkgo-river-2026", user=clerk)


def test_debug_is_off_when_the_environment_says_nothing():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DEBUG"}
        | {"DJANGO_SETTINGS_MODULE": "credit_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False", result.stderr
