"""Settings for the credit portal: one module, driven by the environment (STYLE §2.14).

Without DATABASE_URL the portal uses SQLite in the project folder; without REDIS_URL Celery runs tasks eagerly
in-process and the periodic jobs are run by ``manage.py run_jobs --loop`` (started by the demo command).
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret(name: str) -> str:
    """A random secret kept in var/ for installations that set none in the environment (demo, tests)."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret("secret_key")
# Key for personal data at rest (ID numbers): encryption and the keyed hash used for exact-match search.
PERSONAL_DATA_KEY = os.environ.get("PERSONAL_DATA_KEY") or local_secret("personal_data_key")
# Old keys still read during a rotation (comma-separated; see manage.py rotate_personal_data_key).
PERSONAL_DATA_KEY_FALLBACKS = env_list("PERSONAL_DATA_KEY_FALLBACKS", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "credit_portal",
    "credit_portal.workdays",
    "credit_portal.exchange",
    "credit_portal.opendata",
    "credit_portal.clients",
    "credit_portal.watch",
    "registry",
    "disclosure",
    "sanctions",
    "repair",
    "campaigns",
    "credit_portal.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (see the Security section)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "credit_portal.middleware.PortalLocaleMiddleware",  # Chinese unless the visitor switched (cookie)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "credit_portal.clients.middleware.ApiClientMiddleware",  # API keys on anonymous endpoints; logs client calls
    # Per-address limits on public searches, reports and applications (credit_portal/ratelimit.py); after the API-key
    # check, whose admitted clients count against their own quota instead.
    "credit_portal.ratelimit.PublicRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "credit_portal.urls"
WSGI_APPLICATION = "credit_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "credit_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # The demo runs the web server and the job loop side by side: WAL and a busy timeout keep them apart.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and os.environ.get("DB_WORK_MEM"):
    # Memory per sort/hash/bitmap of a query (e.g. "32MB"): with PostgreSQL's 4MB a common-name search's bitmap
    # goes lossy and rechecks hundreds of thousands of rows (docs/production.md, issue 10 (a)). Checked here: a bad
    # value would otherwise fail every connection with PostgreSQL's message, or carry other options in.
    if not re.fullmatch(r"[1-9][0-9]*(kB|MB|GB|TB)?", os.environ["DB_WORK_MEM"]):
        raise ImproperlyConfigured(
            f"DB_WORK_MEM must be a PostgreSQL memory size such as 32MB (kB, MB, GB or TB, no space), "
            f"not {os.environ['DB_WORK_MEM']!r}"
        )
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c work_mem={os.environ['DB_WORK_MEM']}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "registry.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))  # inactivity limit for staff
SESSION_SAVE_EVERY_REQUEST = True
# Brute-force protection of the staff login (django-axes): after AXES_FAILURE_LIMIT failures for one username from
# one address the pair is locked for AXES_COOLOFF_TIME hours. Token-authenticated API calls do not pass through it.
AUTHENTICATION_BACKENDS = ["credit_portal.lockout.LoginLockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Public rate limits per client address (issue 9 §3), "count/period" (s, min, hour, day); empty turns one off.
# The buckets and the URLs in each are listed in credit_portal/ratelimit.py.
PUBLIC_RATE_LIMITS = {
    "search": os.environ.get("RATE_LIMIT_SEARCH", "60/min"),
    "report": os.environ.get("RATE_LIMIT_REPORT", "20/hour"),
    "application": os.environ.get("RATE_LIMIT_APPLICATION", "20/hour"),
    "tracking": os.environ.get("RATE_LIMIT_TRACKING", "30/min"),
}

# --- Internationalisation -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even when it serves from the finders
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: uploads are served by views that check access
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Public searches count at most this many matches; past it they say "more than N" (issue 10 (a)): 50 pages of 20,
# and a common name costs ~1,000 rows read instead of ~10,000 (benchmarks/RESULTS.md).
PUBLIC_SEARCH_COUNT_LIMIT = int(os.environ.get("PUBLIC_SEARCH_COUNT_LIMIT", "1000"))
# 双公示 bulk import: rows per batch (one set-based filing each) and the largest file accepted.
DISCLOSURE_IMPORT_BATCH_SIZE = int(os.environ.get("DISCLOSURE_IMPORT_BATCH_SIZE", "5000"))
DISCLOSURE_IMPORT_MAX_BYTES = int(os.environ.get("DISCLOSURE_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Uploaded import files may hold ID numbers (DOMAIN §10): deleted this many days after the import finished.
DISCLOSURE_IMPORT_KEEP_DAYS = int(os.environ.get("DISCLOSURE_IMPORT_KEEP_DAYS", "30"))
# Any uploaded .xlsx (credit_portal.uploads.check_xlsx_archive): refused when it would unpack beyond these (zip bombs).
UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES", str(512 * 1024 * 1024)))
UPLOAD_XLSX_MAX_RATIO = int(os.environ.get("UPLOAD_XLSX_MAX_RATIO", "200"))
UPLOAD_XLSX_MAX_MEMBERS = int(os.environ.get("UPLOAD_XLSX_MAX_MEMBERS", "1000"))
# Open data (issue 12): dated snapshots under OPENDATA_ROOT/<date>/; the change feed reads outbox events older than
# OPENDATA_SYNC_LAG_SECONDS so that a slower transaction with a lower id has committed first; page size limits.
OPENDATA_ROOT = Path(os.environ.get("OPENDATA_ROOT", MEDIA_ROOT / "opendata"))
OPENDATA_SYNC_LAG_SECONDS = int(os.environ.get("OPENDATA_SYNC_LAG_SECONDS", "5"))
OPENDATA_FEED_PAGE_SIZE = int(os.environ.get("OPENDATA_FEED_PAGE_SIZE", "100"))
OPENDATA_FEED_MAX_PAGE_SIZE = int(os.environ.get("OPENDATA_FEED_MAX_PAGE_SIZE", "1000"))

# Watchlists and webhooks (issue 12): codes per uploaded file; change events matched per statement; webhook time-out,
# backoff (exponential with jitter, per delivery and per endpoint), the failure streak after which an endpoint is
# disabled (and its owner mailed), deliveries per send batch. Plain http:// only to the hosts listed (tests, demo).
WATCH_UPLOAD_MAX_CODES = int(os.environ.get("WATCH_UPLOAD_MAX_CODES", "100000"))
WATCH_MATCH_BATCH_SIZE = int(os.environ.get("WATCH_MATCH_BATCH_SIZE", "50000"))
WATCH_DIGEST_MAX_ITEMS = int(os.environ.get("WATCH_DIGEST_MAX_ITEMS", "200"))
# Digested matches and delivered webhook deliveries are deleted this many days after (the change feed keeps history).
WATCH_KEEP_DAYS = int(os.environ.get("WATCH_KEEP_DAYS", "365"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_BACKOFF_BASE_SECONDS = float(os.environ.get("WEBHOOK_BACKOFF_BASE_SECONDS", "30"))
WEBHOOK_BACKOFF_MAX_SECONDS = float(os.environ.get("WEBHOOK_BACKOFF_MAX_SECONDS", "3600"))
WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "30"))
WEBHOOK_BATCH_SIZE = int(os.environ.get("WEBHOOK_BATCH_SIZE", "100"))
WEBHOOK_DRAIN_SECONDS = float(os.environ.get("WEBHOOK_DRAIN_SECONDS", "25"))
WEBHOOK_ALLOW_HTTP_HOSTS = env_list("WEBHOOK_ALLOW_HTTP_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

# Managed API clients (issue 12): the daily call quota given when the office sets none, how long a rotated key keeps
# working, and how long call logs are kept: public-data calls for CLIENTS_PUBLIC_CALL_LOG_DAYS, calls on non-public
# data for CLIENTS_CALL_LOG_YEARS, never under 5 years (DOMAIN §10: query records kept at least 5 years).
CLIENTS_DEFAULT_DAILY_QUOTA = int(os.environ.get("CLIENTS_DEFAULT_DAILY_QUOTA", "10000"))
CLIENTS_KEY_GRACE_HOURS = int(os.environ.get("CLIENTS_KEY_GRACE_HOURS", "72"))
CLIENTS_PUBLIC_CALL_LOG_DAYS = int(os.environ.get("CLIENTS_PUBLIC_CALL_LOG_DAYS", "180"))
CLIENTS_CALL_LOG_YEARS = int(os.environ.get("CLIENTS_CALL_LOG_YEARS", "5"))
CLIENTS_APPLY_RATE = os.environ.get("CLIENTS_APPLY_RATE", "10/hour")

# --- Celery, Redis and the cache ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- REST API -------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        # Managed API clients (issue 12): "Authorization: ApiKey …" or "X-Api-Key: …".
        "credit_portal.clients.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A JSON body must be an object; views that set parser_classes use the same parser (credit_portal.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "credit_portal.api.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Query parameters that cannot be valid (an id beyond 64 bits, year 0) are a 400, never a database error.
    "DEFAULT_FILTER_BACKENDS": ["credit_portal.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "credit_portal.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "credit_portal.api.exceptions.exception_handler",
    "PAGE_SIZE": 20,
    # Rate limits key anonymous clients by address: trust X-Forwarded-For only as far as the proxies in front
    # (0 = none, the embedded default; 1 behind the nginx of the production description). Unset, DRF would key
    # on the whole header, which any client can vary to escape every limit.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("信用信息平台 API"),
    "DESCRIPTION": _("区信用信息平台接口：主体登记、双公示、红黑名单、信用核查。"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from the project, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field names ("kind", "category") recur across apps: one stable component name each.
    "ENUM_NAME_OVERRIDES": {
        "DepartmentKindEnum": "registry.choices.DepartmentKind",
        "SubjectCategoryEnum": "registry.choices.SubjectCategory",
        "IdTypeEnum": "registry.choices.IdType",
        "RepairApplicationKindEnum": "repair.choices.ApplicationKind",
        "RepairApplicationStatusEnum": "repair.choices.ApplicationStatus",
        "RepairTargetKindEnum": "repair.choices.TargetKind",
        "ObjectionGroundEnum": "repair.choices.ObjectionGround",
        "ObjectionOutcomeEnum": "repair.choices.ObjectionOutcome",
        "DisclosureRecordStatusEnum": "disclosure.choices.RecordStatus",
        "DisclosureTimelinessEnum": "disclosure.choices.Timeliness",
        "DisclosureRecordKindEnum": "disclosure.choices.RecordKind",
        "DisclosureImportStatusEnum": "disclosure.choices.ImportStatus",
        "CampaignStatusEnum": "campaigns.choices.PublicationStatus",
        "CampaignKeyDateEnum": "campaigns.choices.KeyDate",
        "CampaignVenueEnum": "campaigns.choices.Venue",
        "LedgerTaskStatusEnum": "campaigns.choices.TaskStatus",
        "ComplaintStatusEnum": "campaigns.choices.ComplaintStatus",
        "ComplaintKindEnum": "campaigns.choices.ComplaintKind",
        "RoleModelKindEnum": "campaigns.choices.RoleModelKind",
        "CreditTalkOutcomeEnum": "campaigns.choices.TalkOutcome",
        "ListEntryStatusEnum": "sanctions.choices.EntryStatus",
        "ListRemovalReasonEnum": "sanctions.choices.RemovalReason",
        "ListColorEnum": "sanctions.choices.ListColor",
        "MeasureClassEnum": "sanctions.choices.MeasureClass",
        "MeasureKindEnum": "sanctions.choices.MeasureKind",
        "MeasureObligationEnum": "sanctions.choices.Obligation",
        "CheckItemStatusEnum": "sanctions.choices.CheckItemStatus",
        "CommitmentStatusEnum": "sanctions.commitments.choices.CommitmentStatus",
        "AssessmentStatusEnum": "sanctions.integrity.choices.AssessmentStatus",
        "GovernmentRecordKindEnum": "sanctions.integrity.choices.GovernmentRecordKind",
        "ApiClientKindEnum": "credit_portal.clients.choices.ClientKind",
        "ApiClientStatusEnum": "credit_portal.clients.choices.ClientStatus",
        "ApiClientScopeEnum": "credit_portal.clients.choices.Scope",
        "ChangeKindEnum": "credit_portal.opendata.choices.ChangeKind",
        "ChangeActionEnum": "credit_portal.opendata.choices.ChangeAction",
    },
}
# 重错码率 target of the district plan (DOMAIN §2): the share of wrong or duplicate codes per department.
CODE_QUALITY_TARGET = os.environ.get("CODE_QUALITY_TARGET", "0.001")

# --- Upstream sharing platform --------------------------------------------------------------------------------
UPSTREAM_URL = os.environ.get("UPSTREAM_URL", "http://127.0.0.1:8765")
UPSTREAM_TOKEN = os.environ.get("UPSTREAM_TOKEN", "demo-upstream-token")
UPSTREAM_BATCH_SIZE = int(os.environ.get("UPSTREAM_BATCH_SIZE", "200"))
UPSTREAM_TIMEOUT_SECONDS = float(os.environ.get("UPSTREAM_TIMEOUT_SECONDS", "10"))
# Retries of 429, 5xx, time-outs and dropped connections: exponential backoff with jitter, then "dead" (ops page).
UPSTREAM_MAX_ATTEMPTS = int(os.environ.get("UPSTREAM_MAX_ATTEMPTS", "20"))
UPSTREAM_BACKOFF_BASE_SECONDS = float(os.environ.get("UPSTREAM_BACKOFF_BASE_SECONDS", "30"))
UPSTREAM_BACKOFF_MAX_SECONDS = float(os.environ.get("UPSTREAM_BACKOFF_MAX_SECONDS", "3600"))
# One push task drains batches until the outbox is empty or this budget is used (beat runs it every 30 s).
UPSTREAM_DRAIN_SECONDS = float(os.environ.get("UPSTREAM_DRAIN_SECONDS", "25"))

# --- Mail -----------------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "信用信息平台 <noreply@credit.example.gov.cn>")

# --- Security -------------------------------------------------------------------------------------------------
# HTTPS=1 behind a TLS-terminating proxy turns on the production transport settings (README "Security").
HTTPS = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
# Rotation of SECRET_KEY: old keys, comma-separated, still accepted for signatures until they expire (docs/security.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
CSRF_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp): scripts only from the portal itself, nothing from other sites, no framing.
# Inline <style> blocks in a few templates need 'unsafe-inline' for styles only. The Swagger UI page inlines its
# start-up script (drf-spectacular's template), so /api/docs/ is left without the header.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # its INFO lines narrate every step of every credit report
        "fontTools": {"level": "WARNING"},
    },
}

PORTAL_NAME = _("西青区公共信用信息平台")
# Shown in the page footer as the portal's operator (主办单位).
PORTAL_OPERATOR = _("西青区发展和改革委员会（区社会信用体系建设领导小组办公室）")
# Region of the district whose portal this is (used by demo data and reports).
PORTAL_REGION_CODE = os.environ.get("PORTAL_REGION_CODE", "120111")
# Credit checks (DOMAIN §7): the largest batch one request may check, and the INSERT batch of its recorded items.
CREDIT_CHECK_MAX_SUBJECTS = int(os.environ.get("CREDIT_CHECK_MAX_SUBJECTS", "10000"))
CREDIT_CHECK_INSERT_BATCH = int(os.environ.get("CREDIT_CHECK_INSERT_BATCH", "10000"))
# Repair and objections (DOMAIN §8): uploads per application (PDF/JPG/PNG by content), public rate limits. Time limits
# are admin-editable rows (repair.TimeLimitPolicy); REPAIR_TIME_LIMITS = {"repair": {"accept_days": 2}} overrides the
# defaults only where no row is in force.
REPAIR_UPLOAD_MAX_BYTES = int(os.environ.get("REPAIR_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
REPAIR_UPLOAD_MAX_FILES = int(os.environ.get("REPAIR_UPLOAD_MAX_FILES", "5"))
REPAIR_FILING_RATE = os.environ.get("REPAIR_FILING_RATE", "20/hour")
REPAIR_TRACKING_RATE = os.environ.get("REPAIR_TRACKING_RATE", "30/min")
# Campaigns (DOMAIN §9): the day of the month by which units report last month's special-action progress (after it,
# the reminder job runs), and the public complaint endpoints' rate limits. The complaint handling time is an
# admin-editable row (campaigns.ComplaintPolicy).
CAMPAIGNS_ACTION_REPORT_DUE_DAY = int(os.environ.get("CAMPAIGNS_ACTION_REPORT_DUE_DAY", "10"))
CAMPAIGNS_COMPLAINT_RATE = os.environ.get("CAMPAIGNS_COMPLAINT_RATE", "20/hour")
CAMPAIGNS_TRACKING_RATE = os.environ.get("CAMPAIGNS_TRACKING_RATE", "60/min")
# Public credit reports (issue 8): downloads per client address (429 beyond it), the Chinese font of the PDF.
REPORTS_DOWNLOAD_RATE = os.environ.get("REPORTS_DOWNLOAD_RATE", "20/hour")
REPORTS_PDF_FONT = os.environ.get("REPORTS_PDF_FONT", "Noto Sans CJK SC")
