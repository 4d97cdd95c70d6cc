"""The pytest suite. DATABASE_URL and CELERY_BROKER_URL still apply, so the same
suite runs on SQLite and on PostgreSQL with Redis."""

from .base import *  # noqa: F403
import os

from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-key-5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tests get their own media and broker folders; conftest points MEDIA_ROOT at a
# temporary folder per test.
MEDIA_ROOT = VAR_DIR / "test-media"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A worker process started by the tests must see the same database, so SQLite's
# test database is a file rather than memory. It also gets broker folders of its
# own, apart from those of a `make run` worker.
# Each test session has its own id, inherited by the processes it starts, so two
# sessions on one machine never share a database file or a broker folder.
TEST_RUN_ID = os.environ.setdefault("ACADEMY_TEST_RUN_ID", str(os.getpid()))
TEST_VAR_DIR = VAR_DIR / "test-runs" / TEST_RUN_ID
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    TEST_VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_VAR_DIR / "test.sqlite3")}  # noqa: F405
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    CELERY_BROKER_FOLDER = TEST_VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "control_folder": str(TEST_VAR_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_RESULT_BACKEND.startswith("file://"):  # noqa: F405
        CELERY_RESULT_BACKEND = f"file://{TEST_VAR_DIR / 'results'}"
    for _folder in (CELERY_BROKER_FOLDER, TEST_VAR_DIR / "results", TEST_VAR_DIR / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
