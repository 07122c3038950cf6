"""Settings of the Anding portal, read from the environment.

DEBUG defaults to on so that `make run` works on a fresh machine. With DEBUG off (production) the settings refuse
to start without a real SECRET_KEY, ALLOWED_HOSTS and FIELD_ENCRYPTION_KEY.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if not DEBUG else "127.0.0.1,localhost,testserver")
# Fernet keys for personal data at rest; the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEY")

if not DEBUG:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 40 characters when DEBUG is off.")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host names (not '*') when DEBUG is off.")
    if not FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEY (a Fernet key) when DEBUG is off.")
if not FIELD_ENCRYPTION_KEYS:
    FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()]

INSTALLED_APPS = [
    "anding.apps.AdminConfig",  # django.contrib.admin, its site requiring a verified second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mptt",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "bootstrap",
    "anding",
    "branches",
    "services",
    "development",
]

MIDDLEWARE = [
    "anding.db_router.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "anding.middleware.SecurityHeadersMiddleware",
    "anding.middleware.FaviconMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "anding.sessions.SessionLimitMiddleware",
    "anding.two_factor.TwoFactorMiddleware",
    "anding.accounts.PasswordAgeMiddleware",
    "anding.middleware.KeepFormOnTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "anding.middleware.RequestContextMiddleware",
    "anding.audit.RequestEventsMiddleware",  # refusals and denials, written after the view's transactions
]

ROOT_URLCONF = "anding.urls"
WSGI_APPLICATION = "anding.wsgi.application"

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
                "anding.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Streaming replicas of PostgreSQL for reads (anding/db_router.py, docs/DEPLOYMENT.md); in tests each mirrors default.
for _n, _url in enumerate(envlist("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{_n}"] = dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES[f"replica{_n}"]["TEST"] = {"MIRROR": "default"}
READ_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica")]
# No JIT compilation: PostgreSQL compiles a statement whose estimated cost passes `jit_above_cost`, which a wide
# scope's list with a per-row subquery does (the city's task list sorted by its "completed" column: 5 s of compiling
# for a 40 ms statement, docs/PERFORMANCE.md "Powers, services and development at scale"); the portal's statements
# are short, and compiling never paid for itself in the benchmark.
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASE_ROUTERS = ["anding.db_router.ReplicaRouter"]
# The lists' covering indexes (branches 0020) INCLUDE columns that SQLite, the development database, leaves out: the
# same index without them, which the check would warn of on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# After a request that wrote, the same browser reads from the primary for this long (replication lag).
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "10"))
# Several app servers share the cache and the sessions through Redis (REDIS_URL); sessions stay in the database too
# (cached_db), so that ending a user's sessions (anding/sessions.py) reaches every server.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "anding.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# 等保 2.0: at least 8 characters from at least 3 of the 4 classes, not like the user's name, not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "email"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "anding.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "anding.passwords.NotTheCurrentPasswordValidator"},
]
# Every login path (page, admin, API token) authenticates through the lockout (anding/auth.py).
AUTHENTICATION_BACKENDS = ["anding.auth.LockoutBackend"]
LOGIN_URL = "login"
# After this many failed logins for one account from one client address within the window, that account is locked
# for that address for LOGIN_LOCK_MINUTES, or until the security administrator unlocks it (checklist item 3).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "30"))
# 等保: a password is changed at least every this many days (0: never expires; anding/accounts.py).
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
# 等保: accounts not used for this many days are deactivated by `manage.py disable_inactive_accounts` (daily).
ACCOUNT_INACTIVE_DAYS = int(os.environ.get("ACCOUNT_INACTIVE_DAYS", "90"))
# 等保: no default or shared accounts. These user names are refused (compared after normalization).
RESERVED_USERNAMES = [
    "admin",
    "administrator",
    "root",
    "superuser",
    "test",
    "tester",
    "guest",
    "user",
    "demo",
    "anonymous",
    "system",
    "operator",
    "public",
    "shared",
]
# Exact lookups by ID number (roster search, duplicate checks) per user and hour; each is audited.
ID_NUMBER_LOOKUPS_PER_HOUR = int(os.environ.get("ID_NUMBER_LOOKUPS_PER_HOUR", "30"))
# Exports of the party-member roster per user and hour (each audited with its row count); past it, 429.
MEMBER_EXPORTS_PER_HOUR = int(os.environ.get("MEMBER_EXPORTS_PER_HOUR", "10"))
# Break-glass (docs/SECURITY.md): the only user names that may be superusers, comma-separated; normally empty.
# `manage.py check_duties` fails on any other superuser.
# `make bench` only: serves the bare reference page (branches/views/bench.py); never on in production.
BENCH = envbool("BENCH", False)
BREAK_GLASS_SUPERUSERS = [name for name in os.environ.get("BREAK_GLASS_SUPERUSERS", "").split(",") if name.strip()]
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")  # the bench server has its own
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Sessions: 30 minutes idle, renewed on every request; cookies not readable by scripts.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# However busy, a session ends this many hours after its login (anding/sessions.py).
SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "8"))
# Two-factor sign-in (anding/two_factor.py): the name authenticator apps show, and the admin hides the secrets.
OTP_TOTP_ISSUER = "Anding portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SECURE_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
SECURE_CSP_THIRD_PARTY = SECURE_CSP + "; style-src 'self' 'unsafe-inline'"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "anding.accounts.PasswordAgeTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "anding.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "anding.openapi.AutoSchema",  # nullable fields, error bodies, Idempotency-Key
    # A service's refusal (Django's ValidationError) becomes 409 for a stale version, else 400.
    "EXCEPTION_HANDLER": "anding.api.exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anding party-building portal API",
    "DESCRIPTION": "Scoped JSON API of the Anding town party committee portal.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page are for logged-in users, like the rest of the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per set of choices (the same choices serve several fields).
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "branches.choices.OrgKind",
        "MeetingKindEnum": "branches.choices.MeetingKind",
        "MeetingStatusEnum": "branches.choices.MeetingStatus",
        "MemberStatusEnum": "branches.choices.MemberStatus",
        "ReportStatusEnum": "branches.choices.ReportStatus",
        "TaskAssignmentStatusEnum": "branches.choices.TaskAssignmentStatus",
        "RoleEnum": "branches.choices.Role",
        "GenderEnum": "branches.choices.Gender",
        "AdjustmentKindEnum": "branches.models.LeadershipAdjustment.Kind",
        # Shared development: three choice sets called kind.
        "PartnerKindEnum": "development.choices.PartnerKind",
        "PartnerEventKindEnum": "development.choices.EventKind",
        "BranchResourceKindEnum": "development.choices.ResourceKind",
        # The seven powers and recruitment: each choice set under its own name (many are called status or kind).
        **{
            f"{model}{choices}Enum": f"branches.models.{model}.{choices}"
            for model, choices in [
                ("CadreEvaluation", "Status"),
                ("CadreEvaluation", "Half"),
                ("LeadershipAdjustment", "Status"),
                ("EmergencyIncident", "Status"),
                ("EmergencyIncident", "Kind"),
                ("EmergencyIncident", "Level"),
                ("EmergencyReport", "Kind"),
                ("OrganizationGuidance", "Status"),
                ("OrganizationGuidance", "Subject"),
                ("OrganizationGuidance", "Method"),
                ("AffairsInspection", "Status"),
                ("AffairsInspection", "Area"),
                ("MajorMatter", "Status"),
                ("MajorMatter", "Kind"),
                ("MatterStep", "Number"),
                ("MatterStep", "Body"),
                ("RecruitmentRule", "Unit"),
            ]
        },
        "RecruitmentStageEnum": "branches.models.Stage",
        "RecruitmentStepEnum": "branches.models.recruitment.STEP_CHOICES",
        "FundPurposeEnum": "services.choices.FundPurpose",
        "ServiceHalfEnum": "services.choices.Half",
        "ServiceOutcomeEnum": "services.choices.Outcome",
        # draft → submitted → approved or returned: the pre-review of a recruitment case and an assessment plan.
        "ApprovalStatusEnum": "services.choices.PlanStatus",
        "IndicatorDirectionEnum": "services.choices.Direction",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Portal settings.
PORTAL_NAME = _("Anding Party-Building Portal")
# Monthly reports are due by this day of the following month.
REPORT_DUE_DAY = int(os.environ.get("REPORT_DUE_DAY", "5"))
# A month's report can be submitted from this many days before the month's last day (0: on the last day), so that
# its figures are not frozen before the month is over. Drafts can be saved at any time.
REPORT_SUBMIT_DAYS_BEFORE_MONTH_END = int(os.environ.get("REPORT_SUBMIT_DAYS_BEFORE_MONTH_END", "0"))
# The dashboard names reviews waiting longer than this many days: a submitted (or first-reviewed) report, a held
# meeting not reviewed.
REPORT_REVIEW_WAIT_DAYS = int(os.environ.get("REPORT_REVIEW_WAIT_DAYS", "7"))
MEETING_REVIEW_WAIT_DAYS = int(os.environ.get("MEETING_REVIEW_WAIT_DAYS", "14"))
# The dashboard's figures of a district- or city-wide scope (sums over hundreds or thousands of villages: seconds) are
# kept this many seconds in the cache, per user and language, and dated on the page; 0 reads them on every request.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300"))
# An API Idempotency-Key is kept this many days: an older one counts as unused, and `manage.py
# purge_idempotency_keys` deletes it.
IDEMPOTENCY_KEY_DAYS = int(os.environ.get("IDEMPOTENCY_KEY_DAYS", "7"))
# Emergencies (紧急情况处置): the first report is due this many minutes after the incident became known, each next
# report (follow-up or final) this many hours after the last one. Later reports are recorded, marked late.
EMERGENCY_FIRST_REPORT_MINUTES = int(os.environ.get("EMERGENCY_FIRST_REPORT_MINUTES", "60"))
EMERGENCY_FOLLOW_UP_HOURS = int(os.environ.get("EMERGENCY_FOLLOW_UP_HOURS", "24"))
# Long work in the background (anding/jobs.py): an export of more rows than EXPORT_INLINE_ROWS runs as a job, on the
# RQ queue of REDIS_URL when it is set (worked by `manage.py run_jobs`), else in a thread of the web process.
REDIS_URL = os.environ.get("REDIS_URL", "")
JOB_QUEUE = os.environ.get("JOB_QUEUE", "rq" if REDIS_URL else "thread")
EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "5000"))
# A roster import of more rows than this (at most 2,000 a file) is a job too, once its preview is confirmed.
IMPORT_INLINE_ROWS = int(os.environ.get("IMPORT_INLINE_ROWS", "500"))
JOB_FILE_DIR = os.environ.get("JOB_FILE_DIR", "")  # default: MEDIA_ROOT/jobs
JOB_KEEP_HOURS = int(os.environ.get("JOB_KEEP_HOURS", "24"))
# `migrate` on PostgreSQL waits at most this long for a lock (anding/apps.py).
MIGRATION_LOCK_TIMEOUT = os.environ.get("MIGRATION_LOCK_TIMEOUT", "2s")
DEMO_PASSWORD = "Anding@2026"
FORMAT_MODULE_PATH = ["anding.formats"]
# Uploaded attachments: outside the static files, served only through scoped views as downloads.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "anding.attachments.SizeLimitUploadHandler",  # stops reading a file past the attachment limit
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
