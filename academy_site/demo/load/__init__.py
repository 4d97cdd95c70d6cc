"""Loading the demo academy (`manage.py load_demo_academy`) into an empty site,
one module per app: accounts, courses, home, enrolments, certificates.

`make run` loads it after `migrate` on every start, so it must be safe to run
again: every object is looked up by its natural key (slug, PIB, username,
(course, starts_on) for runs, (run, date, start_time) for meetings) and only
created when missing. Nothing that exists is overwritten: an editor's changes
and a user's password survive a re-run. Pages are published, and the home page
republished, only when this load created or changed them, so a second run on
the same day writes nothing at all.

Runs and meetings are written through courses/services.py, the same validated
path the rest of the code uses. Enrolments, registers, module progress, quiz
attempts, submissions and grades go through the enrolments services too, so
seats, the waitlist, outcomes and e-mails (queued for Celery when the
transaction commits) come out as they do in real use. Those are looked up by
their natural keys as well: (trainee, run) or (trainee, self-paced course),
(meeting, enrolment), (enrolment, module), (enrolment, quiz or assignment
block id).

It lives in the project package because it loads every app's data.
"""

import datetime as dt

from django.core.management.base import CommandError
from wagtail.models import Site

from academy_site.demo.load.accounts import accounts_load, roles_load
from academy_site.demo.load.certificates import (
    certificates_load,
    name_correction_load,
)
from academy_site.demo.load.courses import (
    catalogue_load,
    courses_load,
    instructors_load,
    runs_load,
    topics_load,
)
from academy_site.demo.load.enrolments import (
    apologies_load,
    attendance_load,
    coordinators_load,
    enrolments_load,
    learning_activity_load,
    organisations_load,
    trainees_load,
    withdrawals_load,
)
from academy_site.demo.load.evaluations import evaluations_load
from academy_site.demo.load.home import (
    featured_courses_load,
    settings_load,
    translations_load,
)
from academy_site.demo.load.state import DemoLoad
from academy_site.demo.load.summary import demo_summary
from courses.services import runs_started_facts_record
from enrolments.services.closing import runs_close_due
from home.models import HomePage

__all__ = ["DemoLoad", "demo_academy_load", "demo_summary"]


def demo_academy_load(*, today: dt.date) -> DemoLoad:
    """Create what is missing of the demo academy, as of `today`; the answer
    counts what was created and notes what was left out. Must run inside a
    transaction: a refused value leaves nothing half-loaded."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise CommandError("There is no default Wagtail site; run migrate first.")
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise CommandError(
            f"The default site's root page is a {type(home).__name__}, not the "
            "academy's HomePage; run migrate on a fresh database first."
        )

    demo = DemoLoad(today=today)
    settings_load(demo, site)
    accounts_load(demo)
    topics_load(demo)
    instructors_load(demo)
    catalogue = catalogue_load(demo, home)
    courses_load(demo, catalogue)
    featured_courses_load(demo, home)
    translations_load(demo, home)
    runs_load(demo)
    # Runs that have started keep the facts their certificates print, as the
    # daily task (courses.tasks.record_run_facts) would have recorded them.
    runs_started_facts_record(today=demo.today)
    roles_load(demo)
    organisations_load(demo)
    trainees_load(demo)
    coordinators_load(demo)
    enrolments_load(demo)
    withdrawals_load(demo)
    attendance_load(demo)
    apologies_load(demo)
    learning_activity_load(demo)
    certificates_load(demo)
    # Runs past their last meeting and the grace for grading close, as the
    # daily task (enrolments.tasks.close_due_runs) would have closed them:
    # final results with reasons, and the trainees told.
    demo.created["run closed"] += len(runs_close_due(today=demo.today))
    # Trainees of the past runs answered their evaluation after the close.
    evaluations_load(demo)
    name_correction_load(demo)
    return demo
