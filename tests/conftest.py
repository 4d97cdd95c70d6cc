"""Fixtures shared by the suite.

Tests that need a service (PostgreSQL, Redis, a worker, S3) skip with the reason
when it is missing; with CI=true they fail instead, so a CI run cannot pass by
skipping what it was meant to prove.
"""

import os

import pytest

from tests.factories import CourseIndexPageFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail under CI=true, where the service must be there."""
    if IN_CI:
        pytest.fail(f"CI=true, so this cannot be skipped: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (log-in failure counts live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request activates
    its URL's language in the thread, which would otherwise carry over into
    the next test's reverse() and gettext."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def catalogue(db):
    return CourseIndexPageFactory()


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            skip_or_fail(
                "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres"
            )


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker process consuming from the configured broker (Redis
    when CELERY_BROKER_URL says so, else the filesystem transport)."""
    from django.conf import settings

    from tests.services import WorkerProcess, redis_reachable

    if settings.CELERY_BROKER_URL.startswith("redis") and not redis_reachable(
        settings.CELERY_BROKER_URL
    ):
        skip_or_fail(f"Redis is not reachable at {settings.CELERY_BROKER_URL}")
    with django_db_blocker.unblock():
        worker = WorkerProcess().start()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(celery_worker_process):
    """Send this test's tasks to the worker process instead of running them in
    the test process (the suite's default, CELERY_TASK_ALWAYS_EAGER)."""
    from academy_site.celery import app

    app.conf.task_always_eager = False
    yield celery_worker_process
    app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def s3_server():
    from tests.services import MotoServer

    try:
        server = MotoServer().start()
    except (RuntimeError, OSError) as error:
        skip_or_fail(f"could not start moto's S3 server: {error}")
    yield server
    server.stop()


def pytest_sessionfinish(session, exitstatus):
    """Remove this session's database file and broker folders; keep them when
    something failed, for the worker log."""
    import shutil

    from django.conf import settings

    folder = getattr(settings, "TEST_VAR_DIR", None)
    if folder and exitstatus == 0:
        shutil.rmtree(folder, ignore_errors=True)
