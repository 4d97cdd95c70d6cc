"""Celery tasks of the enrolments app: thin, taking ids, safe to run twice."""

import smtplib

from celery import shared_task

from enrolments.notifications import notice_send


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=10,
    retry_kwargs={"max_retries": 6},
)
def send_enrolment_notice(self, notice_id: int) -> bool:
    return notice_send(notice_id=notice_id)
