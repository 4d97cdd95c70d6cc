"""The pytest suite. DATABASE_URL and CELERY_BROKER_URL still apply, so the same
suite runs on SQLite and on PostgreSQL with Redis."""

import os

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_URL,
    CELERY_RESULT_BACKEND,
    DATABASES,
    LOGGING,
    STORAGES,
    VAR_DIR,
)

DEBUG = False
SECRET_KEY = "test-only-key-5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The locmem outbox, unless a test's worker is pointed at a mail server of the
# test's own (EMAIL_HOST, tests/reliability/).
if not os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING["root"]["level"] = "WARNING"
# Tasks run in the test process when their transaction commits, so e-mails land
# in the locmem outbox; tests that need the real worker use the celery_worker
# fixture, which turns this off for them.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A worker started by a test may be slowed to a fixed pace (tasks per second
# of each kind), so what it gets done between two events of the test does not
# depend on how fast the machine is (tests/reliability/test_worker_crash.py).
# A worker that a test kills in the middle of a send gives up its claim on
# the e-mail sooner (tests/reliability/test_outbox.py).
if os.environ.get("ACADEMY_TEST_OUTBOX_CLAIM_SECONDS"):
    OUTBOX_CLAIM_SECONDS = int(os.environ["ACADEMY_TEST_OUTBOX_CLAIM_SECONDS"])
if os.environ.get("ACADEMY_TEST_TASK_RATE_LIMIT"):
    CELERY_TASK_ANNOTATIONS = {
        "*": {"rate_limit": os.environ["ACADEMY_TEST_TASK_RATE_LIMIT"]}
    }

# Each test session has its own id, inherited by the processes it starts (a
# Celery worker), so two sessions on one machine never share a database file or
# a broker folder. conftest points MEDIA_ROOT at a temporary folder per test.
TEST_RUN_ID = os.environ.setdefault("ACADEMY_TEST_RUN_ID", str(os.getpid()))
TEST_VAR_DIR = VAR_DIR / "test-runs" / TEST_RUN_ID
MEDIA_ROOT = TEST_VAR_DIR / "media"
# This run's signing key (made on first use), whatever the environment says:
# the suite rotates keys, and must not touch the development key in var/keys/.
ACADEMY_SIGNING_KEY = ""
ACADEMY_SIGNING_KEY_FILE = str(TEST_VAR_DIR / "keys" / "signing-key.pem")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A worker process must see the test database: a file, not memory.
    TEST_VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_VAR_DIR / "test.sqlite3")}

if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_FOLDER = TEST_VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "control_folder": str(TEST_VAR_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_RESULT_BACKEND.startswith("file://"):
        CELERY_RESULT_BACKEND = f"file://{TEST_VAR_DIR / 'results'}"
    for _folder in (
        CELERY_BROKER_FOLDER,
        TEST_VAR_DIR / "results",
        TEST_VAR_DIR / "control",
    ):
        _folder.mkdir(parents=True, exist_ok=True)
