"""Queueing the certificates' Celery tasks after commit.

The tasks (certificates/tasks.py) call the services; the services reach the
tasks through the Celery app's registry, by their registered names, so neither
module imports the other and there is no import cycle between them.
CertificatesConfig.ready() imports certificates.tasks, so every process that
runs a service has them registered.
"""

from celery import current_app
from django.db import transaction

from enrolments.notifications import queue_task

# The registered names: a task's module path and function name.
GENERATE_CERTIFICATE = "certificates.tasks.generate_certificate"
SEND_CERTIFICATE_EMAIL = "certificates.tasks.send_certificate_email"
CHECK_TEMPLATE_BACKGROUND = "certificates.tasks.check_template_background"


def task(name: str):
    """The task registered under `name` (the same object the tasks module
    defines, so what a test patches on one is seen through the other)."""
    return current_app.tasks[name]


def certificate_generate_on_commit(*, certificate_id: int) -> None:
    # A broker outage must not turn the committed request into an error page:
    # tasks.requeue_stalled_certificates queues the generation again later.
    transaction.on_commit(
        lambda: queue_task(task(GENERATE_CERTIFICATE), certificate_id)
    )
