"""E-mails about enrolments: rendered from templates/enrolments/email/, sent by a
Celery task after the transaction that caused them commits.

The EnrolmentNotice row, written in the transaction of the change, is the
record of what must be sent; the broker only carries the news. When the broker
cannot take the task (Redis down), the change stands, the failure is logged,
and `notices_send_pending` (the `send_pending_notices` command, or the task of
the same name run periodically) queues the notice again later.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from academy_site.languages import in_language

logger = logging.getLogger(__name__)

# Unsent notices younger than this are probably still in the broker's queue;
# older than the horizon, they are about something long past, not worth sending.
PENDING_AFTER = dt.timedelta(minutes=5)
PENDING_HORIZON = dt.timedelta(days=2)

SUBJECTS = {
    "confirmed": _("Your place is confirmed: %(course)s"),
    "requested": _("We received your request: %(course)s"),
    "waitlisted": _("You are on the waitlist: %(course)s"),
    "promoted": _("A place opened up for you: %(course)s"),
    "approved": _("Your request was approved: %(course)s"),
    "rejected": _("About your request: %(course)s"),
    "cancelled": _("Your enrolment is cancelled: %(course)s"),
    "low_attendance": _("Your attendance in %(course)s"),
}


def queue_task(task, *args) -> bool:
    """Hand a task to the broker; False, logged, when the broker cannot be
    reached. Called after commit, where an exception would turn a saved
    change into an error page for the trainee."""
    try:
        task.delay(*args)
    except OperationalError:
        logger.warning(
            "Broker unreachable: %s%r not queued; it is queued again once the "
            "broker is back",
            task.name,
            args,
            exc_info=True,
        )
        return False
    return True


def notice_send_on_commit(*, notice_id: int) -> None:
    from enrolments.tasks import send_enrolment_notice

    transaction.on_commit(lambda: queue_task(send_enrolment_notice, notice_id))


def low_attendance_check_on_commit(*, run_id: int) -> None:
    from enrolments.tasks import warn_low_attendance

    transaction.on_commit(lambda: queue_task(warn_low_attendance, run_id))


def notices_send_pending(
    *,
    older_than: dt.timedelta = PENDING_AFTER,
    horizon: dt.timedelta = PENDING_HORIZON,
) -> int:
    """Queue again every notice still unsent `older_than` after it was written
    (its task was lost: the broker was down, or the message with it), unless
    it is older than `horizon` or its trainee was erased. Safe to run at any
    time: a notice queued twice is sent once. Returns how many were queued;
    raises OperationalError when the broker is still unreachable."""
    from enrolments.models import EnrolmentNotice
    from enrolments.tasks import send_enrolment_notice

    now = timezone.now()
    pending = (
        EnrolmentNotice.objects.filter(
            sent_at__isnull=True,
            created_at__lte=now - older_than,
            created_at__gte=now - horizon,
            enrolment__trainee__erased_at__isnull=True,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    queued = 0
    for notice_id in list(pending):
        send_enrolment_notice.delay(notice_id)
        queued += 1
    return queued


def low_attendance_warn(*, run_id: int) -> int:
    """Warn, once per enrolment, every confirmed trainee of the run who is below
    the course's attendance threshold or can no longer reach it. Returns how many
    warnings were queued now."""
    from enrolments.models import Enrolment, EnrolmentNotice
    from enrolments.rules.attendance import attendance_summaries

    enrolments = list(
        Enrolment.objects.filter(
            run_id=run_id, status=Enrolment.Status.CONFIRMED
        ).select_related("course")
    )
    summaries = attendance_summaries(enrolments)
    already = set(
        EnrolmentNotice.objects.filter(
            enrolment__in=enrolments, kind=EnrolmentNotice.Kind.LOW_ATTENDANCE
        ).values_list("enrolment_id", flat=True)
    )
    queued = 0
    for enrolment in enrolments:
        summary = summaries.get(enrolment.pk)
        if enrolment.pk in already or summary is None:
            continue
        if summary.below_threshold or not summary.threshold_reachable:
            with transaction.atomic():
                notice, created = EnrolmentNotice.objects.get_or_create(
                    enrolment=enrolment, kind=EnrolmentNotice.Kind.LOW_ATTENDANCE
                )
                if created:
                    notice_send_on_commit(notice_id=notice.pk)
                    queued += 1
    return queued


def _notice_message(notice) -> EmailMultiAlternatives:
    from courses.locales import title_in
    from enrolments.models import EnrolmentNotice

    enrolment = notice.enrolment
    course_title = title_in(enrolment.course, translation.get_language())
    context = {
        "enrolment": enrolment,
        "trainee": enrolment.trainee,
        "course": enrolment.course,
        "course_title": course_title,
        "run": enrolment.run,
        "kind": notice.kind,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
    }
    if notice.kind == EnrolmentNotice.Kind.LOW_ATTENDANCE:
        from enrolments.rules.attendance import attendance_summaries

        context["attendance"] = attendance_summaries([enrolment]).get(enrolment.pk)
    message = EmailMultiAlternatives(
        subject=SUBJECTS[notice.kind] % {"course": course_title},
        body=render_to_string("enrolments/email/notice.txt", context),
        to=[enrolment.trainee.user.email],
    )
    message.attach_alternative(
        render_to_string("enrolments/email/notice.html", context), "text/html"
    )
    return message


def notice_send(*, notice_id: int) -> bool:
    """Send one notice unless it was sent already; True when sent now.

    The row lock makes two workers running the same task take turns, and the
    second finds `sent_at` set.
    """
    from enrolments.models import EnrolmentNotice

    with transaction.atomic():
        notice = (
            EnrolmentNotice.objects.select_for_update(of=("self",))
            .select_related(
                "enrolment__trainee__user", "enrolment__course", "enrolment__run"
            )
            .filter(pk=notice_id, enrolment__trainee__erased_at__isnull=True)
            .first()
        )
        if notice is None or notice.sent_at is not None:
            return False
        # In the trainee's language and script, the course's title too.
        with in_language(notice.enrolment.trainee.preferred_language):
            message = _notice_message(notice)
        message.send()
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
        return True
