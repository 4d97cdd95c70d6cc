"""How fast the academy reports render over a large academy.

Builds a throw-away SQLite (or DATABASE_URL) database with N courses (one run
each, with two meetings held and two to come), T trainees in 200
organisations, E enrolments in every status with attendance marks for the
held meetings, and a certificate for each completed enrolment, all made with
bulk_create. Then times each report (Reports menu: enrolments by course,
members, completion and attendance, revenue due, certificates issued, one
organisation's trainees) through Django's test client as an academy admin:
the page, the CSV export and the XLSX export, printing the median and p95
milliseconds of R runs and the number of SQL queries per request. On
PostgreSQL the tables are ANALYZEd after loading, as autovacuum would.

    .venv/bin/python benchmarks/reports.py
    .venv/bin/python benchmarks/reports.py --courses 300 --trainees 10000 \
        --enrolments 50000 --repeat 7
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports_bench \
        .venv/bin/python benchmarks/reports.py
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy_site.settings.test")

STATUSES = [
    # (status, share out of 20): most enrolments are confirmed or finished.
    ("confirmed", 6),
    ("completed", 5),
    ("not_completed", 2),
    ("pending", 2),
    ("waitlisted", 2),
    ("cancelled", 2),
    ("rejected", 1),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--enrolments", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
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


def build(args) -> dict:
    """The academy, made in bulk; returns what the report URLs need."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from certificates.models import Certificate, Kind
    from courses.models import CourseRun, Meeting
    from enrolments.models import (
        AttendanceRecord,
        Enrolment,
        Organisation,
        TraineeProfile,
    )
    from tests.certificates.factories import certificate_template
    from tests.factories import CourseIndexPageFactory, CoursePageFactory, valid_pib

    today = timezone.localdate()
    catalogue = CourseIndexPageFactory()
    courses = [
        CoursePageFactory(
            parent=catalogue,
            title=f"Course {n:03d} on practical engineering",
            excused_counts_as_present=n % 2 == 0,
        )
        for n in range(args.courses)
    ]
    runs = CourseRun.objects.bulk_create(
        [
            CourseRun(
                course=course,
                starts_on=today - dt.timedelta(days=3),
                ends_on=today + dt.timedelta(days=3),
                capacity=10_000,
                location="Novi Sad",
            )
            for course in courses
        ]
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(run=run, date=today + dt.timedelta(days=d), start_time=dt.time(9))
            for run in runs
            for d in (-3, -2, 2, 3)
        ]
    )
    held = {}
    for meeting in meetings:
        if meeting.date < today:
            held.setdefault(meeting.run_id, []).append(meeting)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Firma {n:03d} d.o.o.", pib=valid_pib(20_000_000 + n))
            for n in range(200)
        ]
    )
    password = make_password("benchmark-password-2026")
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"t{n}@example.rs", password=password)
            for n in range(args.trainees)
        ],
        batch_size=2000,
    )
    trainees = TraineeProfile.objects.bulk_create(
        [
            TraineeProfile(
                user=user,
                full_name=f"Đorđe Petrović {n}",
                organisation=organisations[n % 200] if n % 5 else None,
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    cycle = [status for status, share in STATUSES for _ in range(share)]
    pick = random.Random(2026).choice
    seat = timezone.now() - dt.timedelta(days=30)
    enrolments = []
    for n in range(args.enrolments):
        trainee = trainees[n % len(trainees)]
        # Trainee n enrols in runs n, n + T, n + 2T, ...: never twice in one.
        run = runs[(n % len(trainees) + n // len(trainees)) % len(runs)]
        status = pick(cycle)
        enrolments.append(
            Enrolment(
                trainee=trainee,
                run=run,
                course_id=run.course_id,
                status=status,
                is_member=n % 3 == 0,
                organisation_id=trainee.organisation_id,
                price=Decimal("18000") if n % 3 == 0 else Decimal("30000"),
                seat_since=None if status == "waitlisted" else seat,
                rejection_reason="Full." if status == "rejected" else "",
                outcome="completion" if status == "completed" else "none",
            )
        )
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    # A year of enrolment dates, so period filters have something to cut.
    for days in range(0, 360, 30):
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments[days::12]]).update(
            created_at=seat - dt.timedelta(days=days)
        )
    marks = ["present", "present", "late", "absent", "excused"]
    AttendanceRecord.objects.bulk_create(
        [
            AttendanceRecord(
                meeting=meeting,
                enrolment=enrolment,
                status=marks[(enrolment.pk + meeting.pk) % 5],
                source="register",
            )
            for enrolment in enrolments
            if enrolment.status in ("confirmed", "completed", "not_completed")
            for meeting in held[enrolment.run_id]
        ],
        batch_size=5000,
    )
    template = certificate_template(Kind.COMPLETION)
    certificate_statuses = ["issued"] * 8 + ["revoked", "superseded"]
    Certificate.objects.bulk_create(
        [
            Certificate(
                enrolment=enrolment,
                kind=Kind.COMPLETION,
                template=template,
                serial=f"CA-2026-{n:06d}",
                status=certificate_statuses[n % 10],
                full_name="Đorđe Petrović",
                course_title="Course",
                hours=Decimal("16"),
                is_member=enrolment.is_member,
                language="sr-latn",
                pdf=f"certificates/{n}.pdf",
                sha256=f"{n:064d}",
                issued_at=seat - dt.timedelta(days=(n * 7) % 360),
                revocation_reason="Mistake." if n % 10 == 8 else "",
            )
            for n, enrolment in enumerate(
                e for e in enrolments if e.status == "completed"
            )
        ],
        batch_size=2000,
    )
    return {"course": courses[0], "organisation": organisations[1]}


def run(args, CaptureQueriesContext, connection) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from certificates.models import Certificate
    from enrolments.models import AttendanceRecord, Enrolment

    started = time.perf_counter()
    data = build(args)
    if connection.vendor == "postgresql":
        # Fresh bulk loads have no planner statistics until autovacuum gets
        # to them; a live database has them, so gather them now.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {args.courses} courses, {args.trainees} trainees, "
        f"{Enrolment.objects.count()} enrolments, "
        f"{AttendanceRecord.objects.count()} attendance marks and "
        f"{Certificate.objects.count()} certificates in "
        f"{time.perf_counter() - started:.1f} s on {connection.vendor}"
    )

    admin = get_user_model().objects.create_superuser(
        "admin@example.rs", "admin@example.rs", "benchmark-password-2026"
    )
    client = Client()
    client.force_login(admin)
    organisation = {"organisation": data["organisation"].pk}
    cases = {
        "enrolments by course": ("academy_reports:enrolments_by_course", {}),
        "  one course, this year": (
            "academy_reports:enrolments_by_course",
            {"course": data["course"].pk, "period": "this_year"},
        ),
        "members / non-members": ("academy_reports:members", {}),
        "completion + attendance": ("academy_reports:completion", {}),
        "revenue due per course": ("academy_reports:revenue", {}),
        "revenue due per org.": ("academy_reports:revenue", {"by": "organisation"}),
        "certificates issued": ("certificate_reports:issued", {}),
        "one organisation": ("certificate_reports:organisation", organisation),
    }
    print(
        f"{'report':<26}{'page ms':>9}{'p95':>7}{'q':>4}"
        f"{'csv ms':>9}{'q':>4}{'xlsx ms':>9}{'q':>4}{'rows':>7}"
    )
    for label, (name, params) in cases.items():
        url = reverse(name)
        figures = []
        for export in (None, "csv", "xlsx"):
            query = dict(params, export=export) if export else params
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(url, query)
                    if response.streaming:
                        body = b"".join(response.streaming_content)
                    timings.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (label, response.status_code)
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            figures.append((statistics.median(timings), p95, len(queries)))
            if export == "csv":
                rows = body.count(b"\n") - 1
        page, csv_, xlsx = figures
        print(
            f"{label:<26}{page[0]:>9.0f}{page[1]:>7.0f}{page[2]:>4}"
            f"{csv_[0]:>9.0f}{csv_[2]:>4}{xlsx[0]:>9.0f}{xlsx[2]:>4}{rows:>7}"
        )


if __name__ == "__main__":
    main()
