"""Configuration from the environment: production refuses to start without its
required variables and passes Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
