"""Carrefour settings, read from the environment (twelve-factor).

Every variable is documented in README.md. Without any variable set, the
portal runs on an embedded default: a SQLite file and a file-system broker
under ``var/``, a local-memory cache and emails written as files.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-secret-key-never-used-in-production-0123456789"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Applications -----------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "core",
    "accounts",
    "operators",
    "notifications",
    "anonymisation",
    "meetings",
    "registrations",
    "clinical",
    "consultations",
    "evaluations",
    "privacy",
    "bassins",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.NoStoreMiddleware",
    "core.middleware.ForbiddenMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'carrefour.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Several processes (web, worker, beat) share the file under `make run`.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer fails a page (503) or /healthz within
    # seconds instead of holding a gunicorn worker until its timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "carrefour",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ---------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.SuperuserModelBackend",
    "accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# A professional who signed up through a registration page and confirms the
# address in the same browser is signed in and sees their registration
# (allauth does so only while that sign-up is in the browser's session).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Carrefour] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# allauth's rate limits are on by default; they count in the cache above.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
# Rate limits count per client address. Behind the shipped nginx (one proxy,
# which appends the address it saw to X-Forwarded-For) that address is the
# last entry of X-Forwarded-For, not the socket's 127.0.0.1. 0 when gunicorn
# is reached directly; 2 with a load balancer in front of nginx. A header a
# trusted proxy sets to the client's address (e.g. X-Real-IP) may be named
# instead.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
# Two-factor sign-in (allauth.mfa): an authenticator app (TOTP) with recovery
# codes. Security keys (WebAuthn) are left out: allauth's pages for them run
# scripts of their own that the strict CSP below would have to loosen.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Carrefour"
# Whoever holds this permission must sign in with a second factor: admins,
# coordinators and everyone who reaches a series under a charter
# (meetings/rules.py). Until they have one, every page leads them to set it
# up (accounts.middleware.SecondFactorMiddleware). On unless said otherwise.
SECOND_FACTOR_REQUIRED = env.bool("SECOND_FACTOR_REQUIRED", default=True)
SECOND_FACTOR_PERMISSION = "meetings.need_second_factor"
# Clinical situations (clinical/) open only to people who sign in with a second
# factor, whatever SECOND_FACTOR_REQUIRED says; the tests turn it off.
CLINICAL_SECOND_FACTOR_REQUIRED = env.bool("CLINICAL_SECOND_FACTOR_REQUIRED", default=True)
JITSI_BASE_URL = env.str("JITSI_BASE_URL", default="https://meet.jit.si")
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
COORDINATORS_GROUP = "coordinators"

# --- Language and time ------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/cytoscape", NODE_MODULES / "cytoscape" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=False)
MEDIA_ROOT = VAR_DIR / "media"

FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_FILE_PATH"):
    # django-environ drops the leading slash of filemail:///absolute/path.
    EMAIL_FILE_PATH = "/" + EMAIL_CONFIG["EMAIL_FILE_PATH"].lstrip("/")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Carrefour <noreply@carrefour.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # The embedded broker: messages are files that worker and beat share.
    CELERY_BROKER_URL = "filesystem://"
    _queue = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Well under the broker's visibility timeout, so a task is never run twice
# because it merely took long.
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# django-celery-beat's scheduler, made to keep ticking while PostgreSQL is away (config/beat.py).
CELERY_BEAT_SCHEDULER = "config.beat:DatabaseScheduler"
# Periodic jobs live in code; django-celery-beat copies them into its tables.
CELERY_BEAT_SCHEDULE = {
    "notifications-scan": {
        "task": "notifications.tasks.notifications_scan_task",
        "schedule": env.float("NOTIFICATIONS_SCAN_SECONDS", default=60.0),
    },
    # Places offered to the waiting list and not confirmed in time go to the next person.
    "registration-offers-lapse": {
        "task": "registrations.tasks.registration_offers_lapse_task",
        "schedule": 300.0,
    },
    # The same for the places of the open-doors visits (bassins).
    "visit-offers-lapse": {"task": "bassins.tasks.visit_offers_lapse_task", "schedule": 300.0},
    # Export files of the evaluations are removed after a day.
    "evaluation-exports-purge": {"task": "evaluations.tasks.evaluation_exports_purge_task", "schedule": 3600.0},
    # Every retention rule of the privacy notice, once a day (privacy/retention.py).
    "privacy-retention": {"task": "privacy.tasks.retention_apply_task", "schedule": 24 * 3600.0},
    # Clinical situations past their series' retention lose their texts (clinical/services.py).
    "clinical-purge": {"task": "clinical.tasks.situations_purge_expired_task", "schedule": 24 * 3600.0},
    # The situation texts of help-desk requests closed long enough ago (helpdesk.services).
    "helpdesk-purge": {"task": "helpdesk.tasks.requests_purge_task", "schedule": 24 * 3600.0},
}
# Notifications: the first retry of a transient SMTP error waits this long
# (then twice as long each time). A row a dead worker left "sending" is given
# back once the send task's hard time limit has passed (2 min 30 s);
# NOTIFICATION_STALE_SECONDS can only shorten that (the fault tests do).
NOTIFICATION_RETRY_SECONDS = env.int("NOTIFICATION_RETRY_SECONDS", default=30)
NOTIFICATION_STALE_SECONDS = env.int("NOTIFICATION_STALE_SECONDS", default=900)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Personal data ----------------------------------------------------------

# Who is responsible for the personal data, and how to reach the data-protection
# officer: shown in the privacy notice (privacy/). Set both for a deployment.
PRIVACY_CONTROLLER = env.str("PRIVACY_CONTROLLER", default="The organisation that runs this Carrefour portal")
PRIVACY_DPO_EMAIL = env.str("PRIVACY_DPO_EMAIL", default="dpo@carrefour.localhost")
# Retention (privacy/retention.py applies them daily; the privacy notice reads
# them, so it never says otherwise). An account without a sign-in for
# INACTIVE_WARN_DAYS is warned by email, deactivated INACTIVE_DEACTIVATE_DAYS
# later and erased INACTIVE_ERASE_DAYS after that, unless the person signs in.
RETENTION_INACTIVE_WARN_DAYS = env.int("RETENTION_INACTIVE_WARN_DAYS", default=730)
RETENTION_INACTIVE_DEACTIVATE_DAYS = env.int("RETENTION_INACTIVE_DEACTIVATE_DAYS", default=30)
RETENTION_INACTIVE_ERASE_DAYS = env.int("RETENTION_INACTIVE_ERASE_DAYS", default=365)
# Notification rows (who was sent what, when) once they are settled.
RETENTION_NOTIFICATION_DAYS = env.int("RETENTION_NOTIFICATION_DAYS", default=365)
# The audit trail.
RETENTION_AUDIT_DAYS = env.int("RETENTION_AUDIT_DAYS", default=5 * 365)
# How many rows one pass of the retention job handles per rule (it loops until done).
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)

# --- Security ---------------------------------------------------------------

# Production is secure by default: HTTPS only (redirect, HSTS for a year,
# Secure cookies). Behind a proxy that already redirects or sets HSTS, each
# can be turned off. With DEBUG on (manage.py, the tests) the portal speaks
# plain HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from an hx-headers attribute
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# TLS ends at the reverse proxy (deploy/nginx), which says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Joining the browsers' HSTS preload list is a decision for the operator of a
# domain (it binds every subdomain for years), not a default of the code.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=["security.W021"])

from csp.constants import NONE, SELF  # noqa: E402

# A health portal makes no third-party request: everything comes from here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # Capability tokens (calendar feeds, unsubscribe, invitations) never reach a log.
        "redact_tokens": {"()": "core.logs.RedactTokensFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's request logs ("Not Found: /path") and runserver's access log
        # go through the console handler above, and so through its filter.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The audit trail: who exported or viewed confidential content.
        "carrefour.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
