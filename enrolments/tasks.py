"""Celery tasks of the enrolments app: thin, taking ids, safe to run twice."""

import smtplib

from celery import shared_task

from enrolments.notifications import (
    low_attendance_warn,
    notice_send,
    notices_send_pending,
)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=10,
    retry_kwargs={"max_retries": 6},
)
def send_enrolment_notice(self, notice_id: int) -> bool:
    return notice_send(notice_id=notice_id)


@shared_task(acks_late=True)
def warn_low_attendance(run_id: int) -> int:
    return low_attendance_warn(run_id=run_id)


@shared_task
def send_pending_notices() -> int:
    """Queue the notices whose task was lost (see notices_send_pending); meant
    for a periodic schedule, like the `send_pending_notices` command."""
    return notices_send_pending()


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=10,
    retry_kwargs={"max_retries": 6},
)
def send_grade_notice(self, submission_id: int) -> bool:
    from enrolments.services.assignments import grade_notice_send

    return grade_notice_send(submission_id=submission_id)
