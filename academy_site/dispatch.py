"""Handing Celery tasks to the broker once the transaction that needs them
has committed: the one way every app dispatches background work.

Tasks are named by their registered names (module path and function name),
so a service never imports the tasks module that imports it back: each app's
AppConfig.ready() imports its tasks, which registers them in every process.
The database row a task works on is the record of what must be done; the
broker only carries the news. When the broker cannot take a task (Redis
down), the change stands, the failure is logged, and the periodic sweep of
that kind of work queues it again later.
"""

import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def task_named(name: str):
    """The task registered under `name`: the very object its module defines,
    so a test that patches one sees it through the other."""
    return current_app.tasks[name]


def queue_task(name: str, *args) -> bool:
    """Hand the task `name` to the broker; False, logged, when the broker
    cannot be reached. Called after commit, where an exception would turn a
    saved change into an error page."""
    try:
        task_named(name).delay(*args)
    except OperationalError:
        logger.warning(
            "Broker unreachable: %s%r not queued; the sweep queues it again once "
            "the broker is back",
            name,
            args,
            exc_info=True,
        )
        return False
    return True


def task_on_commit(name: str, *args) -> None:
    """Queue the task `name` when the current transaction commits (at once
    outside one); nothing when it rolls back."""
    transaction.on_commit(lambda: queue_task(name, *args))
