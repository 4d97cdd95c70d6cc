"""How fast a run's evaluation results render with 500 answers, against the
catalogue's first page in the same database.

Builds a throw-away SQLite (or DATABASE_URL) database with the catalogue of
benchmarks/catalogue.py (300 courses) and one run of 501 trainees who all
came, 500 of whom answered the evaluation through the evaluation service
(the clock travels to the run's dates, as the tests do); then times, as the
run's instructor through Django's test client, the run's results page, the
course's runs side by side, the CSV and the PDF summary, and the catalogue's
first page, printing median and p95 ms and the SQL queries per request.

    .venv/bin/python benchmarks/evaluations.py --answers 500 --repeat 20
"""

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy_site.settings.test")
os.environ.setdefault("ACADEMY_PUBLIC_PAGE_CACHE_SECONDS", "0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args, CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args, CaptureQueriesContext, connection) -> None:
    import time_machine
    from django.test import Client
    from django.urls import reverse

    from benchmarks.catalogue import catalogue_build, timed
    from enrolments.services.attendance import register_save
    from enrolments.services.evaluations import evaluation_submit
    from tests.enrolments.evaluation_setup import (
        at,
        evaluation_form,
        good_answers,
        run_with_trainees,
    )
    from tests.factories import InstructorFactory, UserFactory

    started = time.perf_counter()
    catalogue = catalogue_build(args.courses)
    with time_machine.travel(at(1, 9), tick=False):
        evaluation_form()
        names = [f"Trainee {n}" for n in range(args.answers + 1)]
        setup = run_with_trainees(catalogue, names=names, capacity=args.answers + 10)
        instructor = UserFactory()
        setup["run"].instructors.add(InstructorFactory(user=instructor))
        setup["run"].save()
    with time_machine.travel(at(10, 12), tick=False):
        register_save(
            meeting=setup["meetings"][0],
            marks={e.pk: "present" for e in setup["enrolments"]},
            by=None,
        )
    comments = ["More labs, please.", "", "The pace was right.", "Više vežbi."]
    with time_machine.travel(at(11, 12), tick=False):
        for n, enrolment in enumerate(setup["enrolments"][: args.answers]):
            answers = good_answers(
                **{
                    "q-useful": str(1 + n % 5),
                    "q-nps": str(n % 11),
                    "q-better": comments[n % len(comments)],
                }
            )
            evaluation_submit(enrolment=enrolment, raw=answers, language="en")
    print(
        f"built {args.courses} courses and {args.answers} answers in "
        f"{time.perf_counter() - started:.1f} s"
    )

    client = Client()
    client.force_login(instructor)
    run = setup["run"]
    cases = {
        f"run results ({args.answers} answers)": reverse(
            "teaching:evaluation", args=[run.pk]
        ),
        "course, runs side by side": reverse(
            "teaching:course_evaluation", args=[run.course_id]
        ),
        "answers as CSV": reverse("teaching:evaluation_csv", args=[run.pk]),
        "PDF summary": reverse("teaching:evaluation_pdf", args=[run.pk]),
        f"catalogue, first page ({args.courses})": catalogue.url,
    }
    print(f"{'page':<32}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    with time_machine.travel(at(11, 12), tick=True):
        for label, url in cases.items():
            median, p95, queries = timed(
                client, CaptureQueriesContext, connection, url, {}, args.repeat
            )
            print(f"{label:<32}{median:>10.1f}{p95:>9.1f}{queries:>9}")


if __name__ == "__main__":
    main()
