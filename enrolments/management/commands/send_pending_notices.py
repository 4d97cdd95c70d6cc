"""Queue again the enrolment e-mails whose task never reached a worker (the
broker was down when the enrolment was saved). Run it from cron every few
minutes, or schedule the `enrolments.tasks.send_pending_notices` task."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from kombu.exceptions import OperationalError

from enrolments.notifications import PENDING_AFTER, notices_send_pending


class Command(BaseCommand):
    help = "Queue the enrolment e-mails still unsent a few minutes after the change."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=PENDING_AFTER.total_seconds() / 60,
            help="Minutes a notice must have waited (default: %(default)s).",
        )

    def handle(self, *args, older_than, **options):
        try:
            queued = notices_send_pending(older_than=dt.timedelta(minutes=older_than))
        except OperationalError as error:
            raise CommandError(f"The broker is still unreachable: {error}") from error
        self.stdout.write(f"{queued} pending notice(s) queued.")
