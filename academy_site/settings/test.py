"""The pytest suite. DATABASE_URL and CELERY_BROKER_URL still apply, so the same
suite runs on SQLite and on PostgreSQL with Redis."""

from .base import *  # noqa: F403
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
