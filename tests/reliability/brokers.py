"""Pointing the test process's Celery app at another broker for a while."""

from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from academy_site.celery import app


def redis_url_with_db(url: str, db: int) -> str:
    """The same Redis server, another database number."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


@contextmanager
def publishing_to(broker_url: str):
    """Send this process's tasks to `broker_url` instead of the configured broker,
    for real (not eagerly). Publishing goes through `broker_write_url`, which
    Celery prefers to `broker_url` (itself overridden by the CELERY_BROKER_URL
    variable); the app caches its connection and producer pools for the URL it
    first used, so both are dropped on the way in and out."""

    def drop_pools():
        app._pool = None
        app.amqp._producer_pool = None

    old_url = app.conf.get("broker_write_url")
    old_eager = app.conf.task_always_eager
    app.conf.broker_write_url = broker_url
    app.conf.task_always_eager = False
    drop_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = old_url, old_eager
        drop_pools()
