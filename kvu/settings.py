"""Settings of KVU-werkplaats: every deploy-time value comes from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: a deploy that forgets the variable must not show tracebacks to the world.
# `make run` and tests/settings.py switch it on.
DEBUG = envbool("DEBUG", "False")

_DEV_SECRET_KEY = "dev-only-key-never-use-in-production-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "auditlog",
    "django_tasks_db",
    "kvu",
    "partners",
    "meetings",
    "analysis",
    "plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kvu.security.IdleSessionMiddleware",
    "kvu.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kvu.security.AbsoluteSessionLimitMiddleware",
    "kvu.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kvu.security.LoginAddressLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kvu.urls"
WSGI_APPLICATION = "kvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kvu.context_processors.memberships",
            ],
        },
    },
    # E-mail subjects and plain-text bodies (kvu/mail.py): the same templates, no HTML escaping.
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered PDFs by the hash of their HTML (kvu/pdf.py): in the memory of each web process
    # only, for ten minutes, at most 50 documents.
    "pdf": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kvu-pdf",
        "TIMEOUT": envint("PDF_CACHE_SECONDS", "600"),
        "OPTIONS": {"MAX_ENTRIES": 50},
    },
}

# SQLite in the repository folder for a first run; PostgreSQL through DATABASE_URL elsewhere.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
        conn_health_checks=True,
    )
}
# A request that fails half-way leaves nothing half-written.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers do not wait for a writer (WAL); a writer waits for another instead of failing with
    # "database is locked", and takes its lock at the start of the transaction, so that no lock
    # upgrade half-way can fail without waiting.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Audit trail: no copy of whole objects, only the changed fields (see kvu/audit.py).
AUDITLOG_DISABLE_REMOTE_ADDR = False

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed log-ins lock out one user name from one address only, and only for a while, so that
# nobody can lock a known colleague out for long from elsewhere.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # its log lines name the user; kvu.security logs a pseudonym instead
AXES_CLIENT_IP_CALLABLE = "kvu.security.axes_client_ip"
# Many user names tried from one address: refused after this many failures per cool-off period
# (kvu.security.LoginAddressLimitMiddleware); higher, since colleagues may share an address.
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", "20")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats for people, named once (kvu/formats/): "2 dec. 2026", "ma 14 dec.".
FORMAT_MODULE_PATH = ["kvu.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Attached documents: private, never under a URL; served by kvu.documents.document_download.
    # docs/operations.md tells how to put them in an S3-compatible store instead.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("KVU_DOCUMENT_ROOT", str(BASE_DIR / "var" / "documents")),
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    },
}
# Production may keep the documents in a private S3-compatible bucket instead, through
# django-storages (not a dependency of the app: docs/operations.md, "Documents").
if os.environ.get("KVU_DOCUMENT_S3_BUCKET"):
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["KVU_DOCUMENT_S3_BUCKET"],
            "endpoint_url": os.environ.get("KVU_DOCUMENT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("KVU_DOCUMENT_S3_REGION") or None,
            "location": "documents",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# The largest document a user may attach, in bytes (default 20 MB).
KVU_DOCUMENT_MAX_BYTES = envint("KVU_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024))

# Inbound e-mail for the contact log (partners/inbox): `manage.py smtpd` listens on
# KVU_SMTPD_HOST:KVU_SMTPD_PORT behind the municipality's mail relay; off while the port is unset.
KVU_SMTPD_HOST = os.environ.get("KVU_SMTPD_HOST", "127.0.0.1")
KVU_SMTPD_PORT = envint("KVU_SMTPD_PORT", "0") or None
# The domain of the projects' logging addresses (logboek+<secret>@KVU_INBOX_DOMAIN).
KVU_INBOX_DOMAIN = os.environ.get("KVU_INBOX_DOMAIN", "localhost")
# The largest message the receiver accepts, in bytes (default 25 MB: attachments are encoded).
KVU_INBOX_MAX_BYTES = envint("KVU_INBOX_MAX_BYTES", str(25 * 1024 * 1024))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (Django 6.1 MAILERS): printed to the console in development, SMTP in production.
_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_EMAIL_OPTIONS = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", "25"),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS", "False"),
        "use_ssl": envbool("EMAIL_USE_SSL", "False"),
        "timeout": envint("EMAIL_TIMEOUT", "30"),
    }
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KVU-werkplaats <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. The production values switch on by themselves once DEBUG is off.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(not DEBUG))
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", "False")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Sessions end after an hour without activity, and ten hours after log-in at the latest.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", str(60 * 60))
# Activity extends the session, written at most once a minute (kvu.security.IdleSessionMiddleware)
# instead of on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
SESSION_ABSOLUTE_AGE = envint("SESSION_ABSOLUTE_SECONDS", str(10 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Every page is served from our own origin; scripts only from files or with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Background work (e-mail) through Django's Tasks framework: run inline in development and tests;
# in production TASKS_BACKEND=database queues tasks in PostgreSQL (django-tasks-db), run by
# `manage.py db_worker`, so a send that fails is retried and never lost.
_TASKS_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASKS_BACKENDS.get(
            os.environ.get("TASKS_BACKEND", "immediate"), os.environ.get("TASKS_BACKEND")
        )
    }
}

# The intentieverklaring: how long a personal signing link stays valid, reminder rhythm.
DECLARATION_LINK_DAYS = envint("DECLARATION_LINK_DAYS", "30")
DECLARATION_REMINDER_INTERVAL = datetime.timedelta(days=envint("DECLARATION_REMINDER_DAYS", "7"))
DECLARATION_RETRY_AFTER = datetime.timedelta(minutes=15)
# Days a colleague's team invitation link stays valid (kvu/team/links.py).
KVU_TEAM_INVITATION_DAYS = envint("KVU_TEAM_INVITATION_DAYS", "7")
# How long a partner's personal survey link (analysis/surveys/links.py) stays valid.
KVU_SURVEY_LINK_DAYS = envint("KVU_SURVEY_LINK_DAYS", "30")

# Privacy (AVG): contact persons of projects closed this many days ago are anonymised.
PERSON_RETENTION_DAYS = envint("PERSON_RETENTION_DAYS", str(2 * 365))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A personal signing link must never reach a log file (partners/log_filters.py).
    "filters": {"redact_signing_tokens": {"()": "partners.log_filters.RedactSigningTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_signing_tokens"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers would bypass the filter: send its records through the root.
        "django": {"level": "INFO", "propagate": True},
        "django.server": {"level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # aiosmtpd logs every SMTP command (with the recipients) at INFO.
        "mail.log": {"level": "WARNING"},
    },
}
