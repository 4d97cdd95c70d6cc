"""A task sent through the configured broker is consumed by a real worker process."""

import os
import uuid

import pytest
from celery.schedules import crontab
from django.conf import settings

from academy_site.celery import app, ping

pytestmark = pytest.mark.worker


def test_celery_app_is_configured_from_django_settings():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_acks_late is True
    assert app.conf.task_serializer == "json"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_consumes_a_task_from_the_broker(celery_worker):
    token = uuid.uuid4().hex
    result = ping.delay(token)
    try:
        answer = result.get(timeout=90)
    except Exception:
        pytest.fail(
            f"the worker did not answer on {settings.CELERY_BROKER_URL}:\n"
            + celery_worker.output()[-3000:]
        )
    assert answer["token"] == token
    assert answer["pid"] != os.getpid()
    assert answer["pid"] == celery_worker.process.pid  # the solo pool runs tasks itself
    assert f"test-worker-{os.getpid()}" in celery_worker.output()


def test_ci_runs_the_worker_on_redis_when_asked():
    """With CI=true and a Redis broker configured, the worker test above runs on
    Redis; this guards against the variable being silently ignored."""
    if os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert app.conf.broker_url.startswith("redis://")


def test_every_periodic_sweep_names_a_registered_task():
    from django.conf import settings

    from academy_site.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {
        "requeue-stalled-certificates",
        "sweep-outbound-emails",
        "sweep-meeting-outcomes",
        "close-due-runs",
    } <= set(schedule)
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
        # Seconds between runs, or a crontab (a daily job at a set hour).
        assert isinstance(entry["schedule"], crontab) or entry["schedule"] > 0
