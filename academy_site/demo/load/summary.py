"""What the load prints: what the database holds, what this load added,
and how to log in."""

from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Page

from academy_site.demo.load.state import DemoLoad
from academy_site.demo.people import DEMO_LOGINS
from certificates.models import Certificate
from courses.locales import default_locale
from courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseRun,
    Instructor,
    Meeting,
    ModulePage,
    Topic,
)
from enrolments.models import (
    AssignmentSubmission,
    AttendanceRecord,
    Enrolment,
    MembershipPeriod,
    ModuleProgress,
    Organisation,
    QuizAttempt,
    TraineeProfile,
)

ADMIN_PATH = "/admin/"
Status = Enrolment.Status


def demo_summary(demo: DemoLoad) -> str:
    """What the database now holds, what this run added, and how to log in."""
    today = demo.today
    # Where the site is served: `make run` sets it from HOST and PORT.
    site_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    runs = CourseRun.objects.all()
    created_total = sum(demo.created.values())
    if created_total:
        created = ", ".join(
            f"{count} {kind}" for kind, count in sorted(demo.created.items()) if count
        )
    else:
        created = "nothing, the demo academy was already complete"
    lines = [
        "Demo academy loaded.",
        f"  Created now: {created}.",
        "  In the database:",
        f"    pages: {originals(CourseIndexPage).count()} catalogue, "
        f"{originals(CoursePage).count()} courses, "
        f"{originals(ModulePage).count()} modules, "
        f"{Page.objects.exclude(locale=default_locale()).count()} translated "
        "pages (Serbian Latin)",
        f"    topics: {Topic.objects.count()}, "
        f"instructors: {Instructor.objects.count()}",
        f"    runs: {runs.count()} "
        f"({runs.filter(ends_on__lt=today).count()} ended, "
        f"{runs.filter(starts_on__lte=today, ends_on__gte=today).count()} "
        f"in progress, {runs.filter(starts_on__gt=today).count()} upcoming), "
        f"meetings: {Meeting.objects.count()}",
        f"    organisations: {Organisation.objects.count()} "
        f"({Organisation.objects.members_on(today).count()} members today), "
        f"membership periods: {MembershipPeriod.objects.count()}",
        f"    users: {get_user_model().objects.count()} "
        f"({get_user_model().objects.filter(is_superuser=True).count()} admin, "
        f"{Instructor.objects.filter(user__isnull=False).count()} instructors, "
        f"{TraineeProfile.objects.count()} trainees)",
        *activity_lines(),
    ]
    if demo.skipped:
        lines.append("  Left out:")
        lines += [f"    {reason}" for reason in demo.skipped]
    lines += [
        "",
        f"Site:  {site_url}/",
        f"Admin: {site_url}{ADMIN_PATH}",
        "",
        "Demo logins (username / password):",
    ]
    lines += [
        f"  {role + ':':<13}{username} / {password}"
        for role, username, password in DEMO_LOGINS
    ]
    return "\n".join(lines)


def originals(model):
    """Pages in the default locale: what the demo writes; translations are
    counted apart."""
    return model.objects.filter(locale=default_locale())


def activity_lines() -> list[str]:
    """The summary's lines on enrolments and what trainees did."""
    statuses = Counter(Enrolment.objects.values_list("status", flat=True))
    outcomes = Counter(Enrolment.objects.values_list("outcome", flat=True))
    attempts = QuizAttempt.objects.filter(submitted_at__isnull=False)
    submissions = AssignmentSubmission.objects.all()
    graded = submissions.filter(graded_at__isnull=False).count()
    by_status = ", ".join(
        f"{statuses[status]} {status.label.lower()}"
        for status in Status
        if statuses[status]
    )
    return [
        f"    enrolments: {sum(statuses.values())}"
        + (f" ({by_status})" if by_status else "")
        + f"; earned: {outcomes['attendance']} attendance, "
        f"{outcomes['completion']} completion",
        "    certificates: "
        + ", ".join(
            f"{count} {status}"
            for status, count in sorted(
                Counter(Certificate.objects.values_list("status", flat=True)).items()
            )
        ),
        f"    attendance marks: {AttendanceRecord.objects.count()}, "
        f"modules done: {ModuleProgress.objects.count()}",
        f"    quiz attempts: {attempts.count()} "
        f"({attempts.filter(passed=True).count()} passed), "
        f"submissions: {submissions.count()} "
        f"({graded} graded, {submissions.count() - graded} to grade)",
    ]
