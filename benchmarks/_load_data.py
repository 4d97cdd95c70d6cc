"""The load test's academy: the demo academy scaled up with bulk_create.

Used by benchmarks/load.py after django.setup(). The demo (load_demo_academy)
comes first, so the pages under load show its real courses, runs, modules and
issued certificates; then the academy grows to the target counts the way
benchmarks/reports.py builds its data: more published courses under the demo
catalogue, each with a run in progress (two meetings held, two to come) and an
upcoming run, more trainees in 200 organisations, enrolments in every status
spread over all trainees (the demo's included, so the demo trainee's My
learning holds its demo enrolments plus a few in the scaled runs), attendance
marks for the held meetings and a certificate for each completed enrolment.
"""

import datetime as dt
import random
import time
from decimal import Decimal

from reports import STATUSES

BARE_PAGE_SLUG = "load-bare-page"


def is_scaled(*, courses: int, trainees: int, enrolments: int) -> bool:
    from courses.models import CoursePage
    from enrolments.models import Enrolment, TraineeProfile

    return (
        CoursePage.objects.count() >= courses
        and TraineeProfile.objects.count() >= trainees
        and Enrolment.objects.count() >= enrolments
    )


def scale_up(*, courses: int, trainees: int, enrolments: int) -> str:
    """Grow the demo academy to the target counts; returns a summary line."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from certificates.models import Certificate, CertificateTemplate, Kind
    from courses.locales import default_locale
    from courses.models import CourseIndexPage, CoursePage, CourseRun, Meeting
    from enrolments.models import (
        AttendanceRecord,
        Enrolment,
        Organisation,
        TraineeProfile,
    )
    from tests.factories import valid_pib

    started = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    catalogue = CourseIndexPage.objects.get(locale=default_locale())
    template = CertificateTemplate.objects.filter(kind=Kind.COMPLETION).first()
    with transaction.atomic():
        new_courses = []
        for n in range(CoursePage.objects.count(), courses):
            # add_child keeps the page tree and the search index as the editor
            # would; pages are few, so this is fast enough without bulk_create.
            new_courses.append(
                catalogue.add_child(
                    instance=CoursePage(
                        title=f"Course {n:03d} on practical engineering",
                        slug=f"load-course-{n:03d}",
                        summary="Hands-on training with exercises and a certificate.",
                        level=CoursePage.Level.INTERMEDIATE,
                        language=CoursePage.Language.SERBIAN,
                        format=CoursePage.Format.IN_PERSON,
                        duration_hours=Decimal("16"),
                        price_member=Decimal("18000"),
                        price_non_member=Decimal("30000"),
                    )
                )
            )
        current = CourseRun.objects.bulk_create(
            [
                CourseRun(
                    course=course,
                    starts_on=today - dt.timedelta(days=3),
                    ends_on=today + dt.timedelta(days=3),
                    capacity=10_000,
                    location="Novi Sad",
                )
                for course in new_courses
            ]
        )
        upcoming = CourseRun.objects.bulk_create(
            [
                CourseRun(
                    course=course,
                    starts_on=today + dt.timedelta(days=20),
                    ends_on=today + dt.timedelta(days=22),
                    capacity=20,
                    location="Beograd",
                )
                for course in new_courses
            ]
        )
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    run=run, date=run.starts_on + dt.timedelta(days=d), start_time=t
                )
                for run in current
                for d, t in ((0, dt.time(9)), (1, dt.time(9)), (5, dt.time(9)))
            ]
            + [
                Meeting(run=run, date=run.starts_on, start_time=dt.time(9))
                for run in upcoming
            ]
        )
        held = {}
        for meeting in meetings:
            if meeting.date < today:
                held.setdefault(meeting.run_id, []).append(meeting)

        organisations = list(Organisation.objects.order_by("pk")[:200])
        organisations += Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Firma {n:03d} d.o.o.", pib=valid_pib(30_000_000 + n)
                )
                for n in range(len(organisations), 200)
            ]
        )
        password = make_password("load-test-password-2026")
        first = TraineeProfile.objects.count()
        users = get_user_model().objects.bulk_create(
            [
                get_user_model()(
                    username=f"load{n}@example.rs",
                    email=f"load{n}@example.rs",
                    password=password,
                )
                for n in range(first, trainees)
            ],
            batch_size=2000,
        )
        TraineeProfile.objects.bulk_create(
            [
                TraineeProfile(
                    user=user,
                    full_name=f"Đorđe Petrović {first + n}",
                    organisation=organisations[n % 200] if n % 5 else None,
                )
                for n, user in enumerate(users)
            ],
            batch_size=2000,
        )
        # Every trainee, the demo's first, so they get scaled enrolments too.
        profiles = list(
            TraineeProfile.objects.order_by("pk").only("pk", "organisation_id")
        )
        cycle = [status for status, share in STATUSES for _ in range(share)]
        pick = random.Random(2026).choice
        seat = now - dt.timedelta(days=30)
        wanted = enrolments - Enrolment.objects.count()
        rows = []
        for n in range(max(0, wanted)):
            trainee = profiles[n % len(profiles)]
            # Trainee n enrols in runs n, n + T, ...: never twice in one run.
            run = current[(n % len(profiles) + n // len(profiles)) % len(current)]
            status = pick(cycle)
            rows.append(
                Enrolment(
                    trainee_id=trainee.pk,
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
        rows = Enrolment.objects.bulk_create(rows, batch_size=2000)
        # Seats as the enrolment services keep them: pending and confirmed.
        taken = {}
        for enrolment in rows:
            if enrolment.status in ("pending", "confirmed"):
                taken[enrolment.run_id] = taken.get(enrolment.run_id, 0) + 1
        for run in current:
            run.seats_taken = taken.get(run.pk, 0)
        CourseRun.objects.bulk_update(current, ["seats_taken"], batch_size=1000)
        marks = ["present", "present", "late", "absent", "excused"]
        AttendanceRecord.objects.bulk_create(
            [
                AttendanceRecord(
                    meeting=meeting,
                    enrolment=enrolment,
                    status=marks[(enrolment.pk + meeting.pk) % 5],
                    source="register",
                )
                for enrolment in rows
                if enrolment.status in ("confirmed", "completed", "not_completed")
                for meeting in held.get(enrolment.run_id, [])
            ],
            batch_size=5000,
        )
        Certificate.objects.bulk_create(
            [
                Certificate(
                    enrolment=enrolment,
                    kind=Kind.COMPLETION,
                    template=template,
                    serial=f"LT-2026-{n:06d}",
                    status="issued",
                    full_name=f"Đorđe Petrović {enrolment.trainee_id}",
                    course_title="Course on practical engineering",
                    hours=Decimal("16"),
                    is_member=enrolment.is_member,
                    language="sr-latn",
                    pdf=f"certificates/load-{n}.pdf",
                    sha256=f"{n:064d}",
                    issued_at=seat,
                )
                for n, enrolment in enumerate(
                    e for e in rows if e.status == "completed"
                )
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        # Fresh bulk loads have no planner statistics until autovacuum gets to
        # them; a live database has them.
        cursor.execute("ANALYZE")
    return (
        f"scaled to {CoursePage.objects.count()} courses, "
        f"{TraineeProfile.objects.count()} trainees, "
        f"{Enrolment.objects.count()} enrolments, "
        f"{AttendanceRecord.objects.count()} attendance marks, "
        f"{Certificate.objects.count()} certificates "
        f"in {time.perf_counter() - started:.0f} s"
    )


def bare_page():
    """A plain wagtailcore.Page under the home page: Wagtail's own routing and
    its built-in template (wagtailcore/page.html), with no query or template
    of ours; the baseline the academy's pages are compared with."""
    from wagtail.models import Page, Site

    home = Site.objects.get(is_default_site=True).root_page
    page = home.get_children().filter(slug=BARE_PAGE_SLUG).first()
    if page is None:
        page = home.add_child(
            instance=Page(title="Load test: a bare Wagtail page", slug=BARE_PAGE_SLUG)
        )
    return page


def targets(*, trainee_email: str, instructor_email: str) -> dict:
    """What the load test requests: URLs, the trainee for My learning and the
    instructor for the teaching pages."""
    from django.urls import reverse
    from django.utils import timezone

    from academy_site.demo.courses import COURSES
    from certificates.models import Certificate
    from courses.locales import default_locale
    from courses.models import CourseIndexPage, CoursePage, CourseRun
    from enrolments.models import Enrolment

    # The original (English) pages: the scaled courses are under this catalogue.
    catalogue = CourseIndexPage.objects.get(locale=default_locale())
    # The first demo course: real modules, runs and content.
    course = CoursePage.objects.get(slug=COURSES[0]["slug"], locale=default_locale())
    certificate = (
        Certificate.objects.filter(status=Certificate.Status.ISSUED)
        .exclude(serial__startswith="LT-")
        .order_by("pk")
        .first()
    )
    # The teaching pages of the demo's instructor: her runs, and the
    # attendance overview of the one she teaches now (else her latest).
    taught = CourseRun.objects.filter(
        instructors__user__username=instructor_email
    ).order_by("-starts_on", "pk")
    today = timezone.localdate()
    running = taught.filter(starts_on__lte=today, ends_on__gte=today).first()
    overview_run = running or taught.first()
    return {
        "teaching": reverse("teaching:runs"),
        "overview": reverse("teaching:run_overview", args=[overview_run.pk]),
        "home": "/en/",
        "catalogue": catalogue.url,
        "course": course.url,
        "learning": reverse("learning:home"),
        "verify": reverse("certificates:verify", args=[certificate.verification_code]),
        "bare": bare_page().url,
        "certificate": certificate.serial,
        "enrolments": Enrolment.objects.filter(
            trainee__user__username=trainee_email
        ).count(),
    }
