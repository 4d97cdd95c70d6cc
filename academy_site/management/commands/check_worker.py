"""Send a ping through the configured broker and wait for a worker to answer.

`make run` calls it after starting the worker, so the person starting the
academy sees that background work (certificates, e-mails) is really consumed.
"""

import uuid

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from academy_site.celery import ping


class Command(BaseCommand):
    help = "Check that a Celery worker consumes tasks from the configured broker."

    def add_arguments(self, parser):
        parser.add_argument("--wait", type=int, default=30, help="Seconds to wait.")

    def handle(self, *args, wait, **options):
        token = uuid.uuid4().hex
        result = ping.delay(token)
        try:
            answer = result.get(timeout=wait)
        except CeleryTimeout as timeout:
            raise CommandError(
                f"No worker answered within {wait} s on {settings.CELERY_BROKER_URL}. "
                "Start one with: .venv/bin/celery -A academy_site worker"
            ) from timeout
        if answer.get("token") != token:
            raise CommandError("A worker answered with the wrong token.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Celery worker pid {answer['pid']} is consuming tasks "
                f"from {settings.CELERY_BROKER_URL}"
            )
        )
