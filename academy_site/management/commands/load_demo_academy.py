"""`manage.py load_demo_academy`: fill an empty site with a realistic academy.

The content is in academy_site/demo/ (one module per course), the loading in
academy_site/demo/load/ (one module per app), where the rules that make a
re-run safe are described: `make run` calls this after `migrate` on every
start, and a second run on the same day writes nothing at all.
"""

import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from academy_site.demo.load import demo_academy_load, demo_summary
from enrolments.errors import EnrolmentError


class Command(BaseCommand):
    help = (
        "Load the demo academy: settings, catalogue, courses with modules, runs "
        "with meetings, organisations, instructors and trainees. Safe to run "
        "again: only what is missing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print nothing except errors.",
        )

    def handle(self, *args, **options):
        quiet = options["quiet"] or options["verbosity"] == 0
        try:
            with _info_logging(enabled=options["verbosity"] > 1), transaction.atomic():
                demo = demo_academy_load(today=timezone.localdate())
        except ValidationError as exc:
            # Everything is rolled back; say which demo value was refused.
            raise CommandError(
                "The demo data was refused, nothing was loaded: "
                + "; ".join(exc.messages)
            ) from exc
        except EnrolmentError as exc:
            raise CommandError(
                f"A service refused the demo data, nothing was loaded: {exc.message}"
            ) from exc
        if not quiet:
            self.stdout.write(demo_summary(demo))


@contextmanager
def _info_logging(*, enabled: bool):
    """Hold back INFO log records while loading unless -v 2 or more is given.

    Wagtail logs every page it creates and publishes, and the task backend every
    search-index and reference-index update: hundreds of lines that would bury
    the summary (and break --quiet). Warnings and errors still get through.
    """
    if enabled:
        yield
        return
    previous = logging.root.manager.disable
    logging.disable(max(previous, logging.INFO))
    try:
        yield
    finally:
        logging.disable(previous)
