"""Reminders before a certificate expires (courses with a validity period:
CoursePage.certificate_validity_months).

The holder is e-mailed 90, 30 and 7 days before the expiry, in their
language, with a link to the course's next run (to enrol, or to join its
waitlist when it is full) so they can renew in time. Beat runs
expiry_reminders_queue every morning; each certificate gets the reminder of
the stage it has reached, once (the outbox's dedupe key), so one issued 20
days before its expiry gets the 30-day one only, never three at once.
Revoked, superseded and erased holders' certificates get none.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from academy_site.links import absolute_url
from certificates.models import Certificate
from certificates.selectors import certificates_expiring
from courses.locales import title_in, url_in_active_language
from courses.models import CourseRun
from enrolments.notifications import trainee_email_queue

# Days before the expiry, latest stage first.
STAGES = (7, 30, 90)


def stage_of(days_left: int) -> int | None:
    """The reminder due with `days_left` to go: the smallest stage not
    passed (7 within a week, 30 within a month, 90 within three)."""
    return next((stage for stage in STAGES if days_left <= stage), None)


def expiry_reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the reminders due now; how many were queued now. Three queries
    and the outbox's, whatever the number of certificates."""
    now = now or timezone.now()
    certificates = list(certificates_expiring(now=now))
    next_runs = _next_runs(certificates, now)
    queued = 0
    for certificate in certificates:
        # In calendar days, as people count them: 30 days before 10 January
        # is 11 December, whatever the hour.
        days_left = (
            timezone.localdate(certificate.expires_at) - timezone.localdate(now)
        ).days
        stage = stage_of(days_left)
        if stage is None:
            continue
        queued += _queue(certificate, stage, next_runs.get(certificate.pk))
    return queued


def _next_runs(certificates, now: dt.datetime) -> dict[int, CourseRun]:
    """By certificate: its course's next run that still takes enrolments (or
    will), other than the run it was earned in. One query."""
    today = timezone.localdate(now)
    by_course: dict[int, list[CourseRun]] = {}
    for run in (
        CourseRun.objects.filter(
            course_id__in={c.enrolment.course_id for c in certificates},
            closed_at__isnull=True,
            starts_on__gt=today,
        )
        .select_related("course")
        .order_by("starts_on", "pk")
    ):
        if run.enrolment_closes >= today:
            by_course.setdefault(run.course_id, []).append(run)
    next_runs = {}
    for certificate in certificates:
        runs = by_course.get(certificate.enrolment.course_id, [])
        run = next((r for r in runs if r.pk != certificate.enrolment.run_id), None)
        if run is not None:
            next_runs[certificate.pk] = run
    return next_runs


def _queue(certificate: Certificate, stage: int, run: CourseRun | None) -> bool:
    trainee = certificate.enrolment.trainee

    def compose():
        course = certificate.enrolment.course
        expires_at = timezone.localtime(certificate.expires_at)
        context = {
            "certificate": certificate,
            "trainee": trainee,
            "expires_at": expires_at,
            "course_title": title_in(course, translation.get_language()),
            "run": run,
            "run_full": run is not None and run.is_full,
            "enrol_url": (
                absolute_url(reverse("learning:enrol_run", args=[run.pk]))
                if run
                else ""
            ),
            "course_url": _page_address(course),
            "verify_url": absolute_url(certificate.get_absolute_url()),
        }
        subject = _("%(course)s: your certificate expires on %(date)s") % {
            "date": date_format(expires_at, "DATE_FORMAT"),
            "course": context["course_title"],
        }
        return subject, context

    return trainee_email_queue(
        trainee=trainee,
        kind="certificate.expiring",
        template="certificates/email/expiring",
        compose=compose,
        dedupe_key=f"certificate-expiry:{certificate.pk}:{stage}",
    )


def _page_address(page) -> str:
    url = url_in_active_language(page) or "/"
    return url if url.startswith("http") else absolute_url(url)
