"""Settings shared by every environment.

Values that differ between machines are read from environment variables with
embedded defaults that need no server: an SQLite file, a filesystem Celery
broker consumed by a real worker, local files. See README.md, "Configuration".
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
# Runtime state of the embedded defaults (SQLite file, broker folders, uploads).
VAR_DIR = Path(env_str("ACADEMY_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The project package itself, for project-wide commands (demo, worker check).
    "academy_site",
    "home",
    "courses",
    "enrolments",
    "certificates",
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "academy_site.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: the language comes from the URL prefix,
    # then the language cookie (set from a signed-in user's preference), then
    # the browser's Accept-Language.
    "academy_site.languages.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "academy_site.languages.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Innermost: visitors' pages served from the cache (academy_site/public_cache.py).
    "academy_site.public_cache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "academy_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "academy_site.wsgi.application"

# Database: DATABASE_URL (postgres://user@host:5432/name), else an SQLite file.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'academy.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker processes share the file. A write
    # transaction takes the write lock when it begins (IMMEDIATE), so a second
    # writer waits for it (up to `timeout` seconds) instead of failing at once
    # with "database is locked" when it upgrades a read; WAL lets readers go on
    # while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"  # noqa: E501
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "academy_site.passwords.StrengthValidator", "OPTIONS": {"min_score": 3}},
]
LOGIN_URL = "accounts:log_in"
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_USER_LOGIN_FORM = "enrolments.accounts.admin_login.ThrottledAdminLoginForm"

# Cache: shared by every web process when CACHE_URL names a Redis; the log-in
# limits count failures in it, so production requires one.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
    # Sessions read from the shared cache, written through to the database:
    # a signed-in page costs no query for its session. Not with a cache of
    # each process's own, which would keep a session another process ended.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Languages: English, Serbian Latin and Serbian Cyrillic. Course content is
# written in LANGUAGE_CODE's locale and translated into the others in Wagtail;
# a page without a translation is shown in its original (see courses/locales.py).
# The Cyrillic message catalogue is generated from the Latin one
# (`manage.py translations_sync`).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("sr-latn", "Srpski (latinica)"),
    ("sr", "Српски (ћирилица)"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as written in Europe (academy_site/formats/en/formats.py);
# Serbian uses Django's own formats ("2. decembar 2026.").
FORMAT_MODULE_PATH = ["academy_site.formats"]
# The visitor's choice outlives the session; a signed-in trainee's choice is
# also kept on their profile and restored at log-in.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# Files: local disk by default; S3-compatible object storage when a bucket is named.
# Objects are private: the site serves them through views that check permission,
# or through short-lived signed URLs, never through a public bucket URL.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "eu-central-1")
    AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY")
    AWS_DEFAULT_ACL = "private"
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 300)
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_S3_ADDRESSING_STYLE = env_str("AWS_S3_ADDRESSING_STYLE", "auto")
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"

STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    # Course images as pages show them (Wagtail's renditions) are public: a
    # signed URL that expires after minutes keeps browsers and proxies from
    # caching them, so they go to a public place, unsigned, cached for a year
    # (a rendition's name changes with its image and filter). Certificates,
    # submissions and original uploads stay in the private default storage.
    # AWS_PUBLIC_BUCKET_NAME: a bucket whose policy makes it public (and
    # AWS_PUBLIC_CUSTOM_DOMAIN its CDN); without one, objects under public/
    # in the private bucket, each readable by all.
    AWS_PUBLIC_BUCKET_NAME = env_str("AWS_PUBLIC_BUCKET_NAME")
    STORAGES["renditions"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_PUBLIC_BUCKET_NAME or AWS_STORAGE_BUCKET_NAME,
            "location": "" if AWS_PUBLIC_BUCKET_NAME else "public",
            "default_acl": None if AWS_PUBLIC_BUCKET_NAME else "public-read",
            "querystring_auth": False,
            "custom_domain": env_str("AWS_PUBLIC_CUSTOM_DOMAIN") or None,
            "object_parameters": {
                "CacheControl": "public, max-age=31536000, immutable"
            },
        },
    }
    WAGTAILIMAGES_RENDITION_STORAGE = "renditions"

# E-mail: SMTP when EMAIL_HOST is set; otherwise printed to the console.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env_str(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
# Seconds the mail server may take to answer; the outbox's claim on an e-mail
# being sent lasts longer (academy_site/outbox/services.py: claim_lease).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Cluster Academy <academy@localhost>"
)
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Celery: CELERY_BROKER_URL (redis://127.0.0.1:6379/0), else kombu's filesystem
# transport, which needs no server; `make run` starts a real worker on it.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost/")
CELERY_BROKER_FOLDER = VAR_DIR / "celery" / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Broadcast (remote control) messages; kombu's default is ./control.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    _default_result_backend = f"file://{VAR_DIR / 'celery' / 'results'}"
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task that a killed worker never acknowledged is redelivered after this.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    }
    _default_result_backend = CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _default_result_backend)

# The embedded defaults keep their state in folders that must exist before the
# database, the broker or the result store is opened.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" or (
    CELERY_BROKER_URL.startswith("filesystem://")
):
    for _folder in (
        VAR_DIR,
        CELERY_BROKER_FOLDER,
        VAR_DIR / "celery" / "results",
        VAR_DIR / "celery" / "control",
        STATIC_ROOT,
    ):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers parse uploaded PDFs (certificate templates' backgrounds) and render
# certificates: a child process that has grown past this many KiB is replaced
# once its task ends, so one large file cannot keep a worker's memory high.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000
)
# With late acknowledgement a task running when the broker connection drops is
# delivered again to another worker; cancelled here rather than finished twice
# (its services are safe to run twice anyway). Said explicitly: Celery 6 makes
# it the default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Sweeps for work the broker lost (a worker killed while it fetched a task; a
# broker down when the web process queued it): certificates still pending, and
# the outbox's e-mails not yet sent (lost, half-sent or due for a retry). Run
# by Celery beat: `make run` starts the worker with an embedded beat (-B);
# production runs
# `celery -A academy_site beat` once (docs/reliability.md).
CELERY_BEAT_SCHEDULE = {
    "requeue-stalled-certificates": {
        "task": "certificates.tasks.requeue_stalled_certificates",
        "schedule": 600.0,
    },
    "sweep-outbound-emails": {
        "task": "academy_site.outbox.tasks.sweep_outbound_emails",
        "schedule": 60.0,
    },
    # Runs that started since yesterday keep the facts their certificates
    # print (courses/services.py: run_facts_record); early in the day, so a
    # run is recorded on the day it starts.
    "record-run-facts": {
        "task": "courses.tasks.record_run_facts",
        "schedule": crontab(hour=0, minute=20),
    },
    # Outcomes follow the clock: a meeting counts once it has started.
    "sweep-meeting-outcomes": {
        "task": "enrolments.tasks.sweep_meeting_outcomes",
        "schedule": 300.0,
    },
    # The day before each meeting, its trainees are reminded (once each).
    "meeting-reminders": {
        "task": "enrolments.tasks.send_meeting_reminders",
        "schedule": 900.0,
    },
    # A seat offered from the waitlist goes to the next person within five
    # minutes of its deadline (an accept after it is refused at once).
    "expire-waitlist-offers": {
        "task": "enrolments.tasks.expire_waitlist_offers",
        "schedule": 300.0,
    },
    # A run's evaluation opens at the start of its last meeting: invitations
    # go within a quarter of an hour, the one reminder days later.
    "evaluation-invitations": {
        "task": "enrolments.tasks.send_evaluation_invitations",
        "schedule": 900.0,
    },
    # Holders of certificates that expire in 90, 30 or 7 days are told, with
    # the course's next run; in the morning, when they can act on it.
    "certificate-expiry-reminders": {
        "task": "certificates.tasks.send_expiry_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "close-due-runs": {
        "task": "enrolments.tasks.close_due_runs",
        "schedule": crontab(hour=3, minute=15),
    },
    # Last month's figures to organisations' coordinators, after the night's
    # closing, early enough to be read on the first working morning.
    "coordinator-summaries": {
        "task": "enrolments.tasks.send_coordinator_summaries",
        "schedule": crontab(day_of_month=1, hour=6, minute=30),
    },
}
# Days after a run's last meeting (its end date without meetings) before it
# closes on its own: the time instructors have to finish grading.
ACADEMY_RUN_CLOSE_GRACE_DAYS = env_int("ACADEMY_RUN_CLOSE_GRACE_DAYS", 14)
# The key Open Badges credentials are signed with (certificates/credentials/
# keys.py): an Ed25519 private key in PEM, required in production; elsewhere a
# key is made on first use in this file (owner-readable only).
ACADEMY_SIGNING_KEY = env_str("ACADEMY_SIGNING_KEY", "")
ACADEMY_SIGNING_KEY_FILE = str(VAR_DIR / "keys" / "signing-key.pem")
# The longest a visitor's cached page lives (academy_site/public_cache.py);
# changes reach visitors as they commit, this caps what nothing announced.
# 0 turns the cache off.
ACADEMY_PUBLIC_PAGE_CACHE_SECONDS = env_int("ACADEMY_PUBLIC_PAGE_CACHE_SECONDS", 60)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")

# Django sets a maximum of 1000 fields per form; the page editor can exceed it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Cluster Academy"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "academy_site.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Wagtail's preview views set SAMEORIGIN on themselves; everything else is DENY.
X_FRAME_OPTIONS = "DENY"
