"""Queue again the e-mails of the outbox that wait for a retry, lost their
task (the broker was down when the change was saved) or were left half-sent
by a killed worker. Celery beat runs the same sweep every minute
(`academy_site.outbox.tasks.sweep_outbound_emails`); this command is for cron
or an operator after an outage."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from kombu.exceptions import OperationalError

from academy_site.outbox.services import LOST_AFTER, emails_sweep


class Command(BaseCommand):
    help = "Queue again the e-mails not sent yet: lost, half-sent or due for a retry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=LOST_AFTER.total_seconds() / 60,
            help="Minutes an e-mail must have been due (default: %(default)s).",
        )

    def handle(self, *args, older_than, **options):
        try:
            result = emails_sweep(lost_after=dt.timedelta(minutes=older_than))
        except OperationalError as error:
            raise CommandError(f"The broker is still unreachable: {error}") from error
        self.stdout.write(
            f"{result['queued']} e-mail(s) queued again, "
            f"{result['given_up']} given up as too old."
        )
