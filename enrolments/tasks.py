"""Celery tasks of the enrolments app: thin, taking ids, safe to run twice.
E-mails go through the academy's outbox (academy_site/outbox/)."""

from celery import shared_task

from enrolments.notifications import low_attendance_warn


@shared_task(acks_late=True)
def warn_low_attendance(run_id: int) -> int:
    return low_attendance_warn(run_id=run_id)
