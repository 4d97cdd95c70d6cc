"""Configuration from the environment: production refuses to start without its
required variables and passes Django's deployment checklist."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "academy_site.settings.production",
    "SECRET_KEY": "p7#kq2!vXz9@Lm4$Rt8^Wn3&Yb6*Hc1(Jd5)Fg0-Ks2+Ue7=Ia9Oq",
    "ALLOWED_HOSTS": "academy.example.rs",
    "DATABASE_URL": "postgres://academy@127.0.0.1:5432/academy",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "DEFAULT_FROM_EMAIL": "Cluster Academy <akademija@example.rs>",
    "WAGTAILADMIN_BASE_URL": "https://academy.example.rs",
    "EMAIL_HOST": "smtp.example.rs",
    "AWS_STORAGE_BUCKET_NAME": "academy-private",
    "ACADEMY_SIGNING_KEY": Ed25519PrivateKey.generate()
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode(),
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deployment_checklist_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "CACHE_URL",
        "DEFAULT_FROM_EMAIL",
        "WAGTAILADMIN_BASE_URL",
        "ACADEMY_SIGNING_KEY",
    ],
)
def test_production_stops_with_a_message_naming_a_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert (
        f"The environment variable {missing} is required in production."
        in result.stderr
    )


def test_a_malformed_boolean_is_refused_with_its_name():
    result = manage("check", env={**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "maybe"})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be true or false, not 'maybe'." in result.stderr


def test_embedded_defaults_need_no_server(settings):
    """Without DATABASE_URL or CELERY_BROKER_URL the suite runs on SQLite and the
    filesystem broker; CI sets them to PostgreSQL and Redis."""
    if "DATABASE_URL" not in os.environ:
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    if "CELERY_BROKER_URL" not in os.environ:
        assert settings.CELERY_BROKER_URL.startswith("filesystem://")
    assert settings.STORAGES["default"]["BACKEND"] in {
        "django.core.files.storage.FileSystemStorage",
        "storages.backends.s3.S3Storage",
    }


SECURITY_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
    "DEBUG",
    "DATABASES",
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD",
    "CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS",
)


def production_settings(**overrides) -> dict:
    """The security settings as production loads them, in a fresh process."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, **PRODUCTION_ENV, **overrides},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_are_https_only_with_a_year_of_hsts():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    # Trusting X-Forwarded-Proto from a client that can set it would let it
    # claim HTTPS: off unless the operator says a proxy sets it.
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["CSRF_TRUSTED_ORIGINS"] == []

    # A connection kept a minute per worker, checked before reuse.
    database = values["DATABASES"]["default"]
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)
    # A worker child past 400 MB is replaced; a task cut off by a lost broker
    # connection is cancelled, not finished twice.
    assert values["CELERY_WORKER_MAX_MEMORY_PER_CHILD"] == 400_000
    assert values["CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS"]


def test_production_security_settings_follow_the_environment():
    values = production_settings(
        SECURE_PROXY_SSL_HEADER_ENABLED="true",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
        SECURE_REFERRER_POLICY="strict-origin-when-cross-origin",
        CSRF_TRUSTED_ORIGINS="https://academy.example.rs, https://admin.example.rs",
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://academy.example.rs",
        "https://admin.example.rs",
    ]


def test_a_malformed_hsts_duration_is_refused_with_its_name():
    result = manage("check", env={**PRODUCTION_ENV, "SECURE_HSTS_SECONDS": "a year"})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number, not 'a year'." in result.stderr


def test_the_celery_app_reads_the_worker_limits(settings):
    from academy_site.celery import app

    assert app.conf.worker_max_memory_per_child == 400_000
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True
