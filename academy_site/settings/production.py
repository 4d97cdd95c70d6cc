"""Production: gunicorn + whitenoise, PostgreSQL, Redis, S3-compatible storage, SMTP.

Start-up stops with a message naming the variable when a required one is missing.
"""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY", "Use at least 50 random characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [
    env_required("ALLOWED_HOSTS", "A comma-separated list, e.g. academy.example.rs.")
]
env_required("DATABASE_URL", "e.g. postgres://academy@db:5432/academy")
env_required("CELERY_BROKER_URL", "e.g. redis://redis:6379/0")
env_required("CACHE_URL", "e.g. redis://redis:6379/1 (log-in limits are kept there)")
DEFAULT_FROM_EMAIL = env_required("DEFAULT_FROM_EMAIL", "e.g. Academy <a@example.rs>")
WAGTAILADMIN_BASE_URL = env_required(
    "WAGTAILADMIN_BASE_URL",
    "The public URL of the site, e.g. https://academy.example.rs",
)
ACADEMY_SIGNING_KEY = env_required(
    "ACADEMY_SIGNING_KEY",
    "The Ed25519 private key (PEM) credentials are signed with: "
    "`manage.py signing_key_rotate --print` makes one.",
)

# Persistent database connections: opening a PostgreSQL connection costs every
# request a few milliseconds. Each gunicorn worker keeps one (checked before
# reuse), so max_connections must cover the web workers plus Celery's
# processes; with more than a few dozen, put PgBouncer (transaction pooling) in
# front and set DATABASE_CONN_MAX_AGE=0.
DATABASES["default"]["CONN_MAX_AGE"] = env_int(  # noqa: F405
    "DATABASE_CONN_MAX_AGE", 60
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# HTTPS everywhere. Behind a TLS-terminating proxy that sets X-Forwarded-Proto,
# set SECURE_PROXY_SSL_HEADER_ENABLED=true so Django trusts that header.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env_str("SECURE_REFERRER_POLICY", "same-origin")
# Only needed when a form is posted from another origin than ALLOWED_HOSTS
# (e.g. the admin on its own host name); Django refuses entries without https://.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

LOGGING["root"]["level"] = env_str("LOG_LEVEL", "WARNING")  # noqa: F405
