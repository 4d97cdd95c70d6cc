"""E-mails about enrolments: rendered from templates/enrolments/email/, sent by a
Celery task after the transaction that caused them commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

SUBJECTS = {
    "confirmed": "Your place is confirmed: {course}",
    "requested": "We received your request: {course}",
    "waitlisted": "You are on the waitlist: {course}",
    "promoted": "A place opened up for you: {course}",
    "approved": "Your request was approved: {course}",
    "rejected": "About your request: {course}",
    "cancelled": "Your enrolment is cancelled: {course}",
}


def notice_send_on_commit(*, notice_id: int) -> None:
    from enrolments.tasks import send_enrolment_notice

    transaction.on_commit(lambda: send_enrolment_notice.delay(notice_id))


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
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.sent_at is not None:
            return False
        enrolment = notice.enrolment
        context = {
            "enrolment": enrolment,
            "trainee": enrolment.trainee,
            "course": enrolment.course,
            "run": enrolment.run,
            "kind": notice.kind,
            "site_url": settings.WAGTAILADMIN_BASE_URL,
        }
        subject = SUBJECTS[notice.kind].format(course=enrolment.course.title)
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("enrolments/email/notice.txt", context),
            to=[enrolment.trainee.user.email],
        )
        message.attach_alternative(
            render_to_string("enrolments/email/notice.html", context), "text/html"
        )
        message.send()
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
        return True
