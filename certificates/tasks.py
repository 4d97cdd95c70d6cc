"""Celery tasks of certificates: thin, taking ids, safe to run twice.

The database decides what happens (a certificate renders only while pending;
an e-mail goes only while `notified_at` is empty), so a duplicate or
redelivered message is a no-op.
"""

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from certificates import services

# Errors of the mail server's connection, worth another try; a refused
# recipient or a bad sender is not.
TRANSIENT_MAIL_ERRORS = (
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(services.StorageUnavailable,),
    # The limit is the task's own attribute, not a retry_kwargs entry, so that
    # the check below and Celery's retry count against the same number.
    max_retries=6,
    retry_backoff=5,
    retry_backoff_max=300,
    # A crafted background must not hold a worker for ever.
    soft_time_limit=60,
    time_limit=90,
)
def render_certificate(self, certificate_id: int) -> str | None:
    # The broker marks a task it hands out again after a worker died holding
    # it (Redis: past the visibility timeout).
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    try:
        certificate = services.certificate_render(
            certificate_id=certificate_id, redelivered=redelivered
        )
    except services.StorageUnavailable as error:
        if self.request.retries >= self.max_retries:
            services.certificate_mark_failed(
                certificate_id=certificate_id,
                reason=f"Storage unavailable after {self.max_retries} retries: {error}",
            )
            return None
        raise
    return str(certificate.status) if certificate else None


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=600,
)
def send_certificate_email(certificate_id: int) -> bool:
    from certificates.notifications import certificate_email_send

    return certificate_email_send(certificate_id=certificate_id)


# A certificate still pending this long after it was requested lost its
# render task: longer than the whole backoff of render_certificate (5 + 10 +
# ... + 160 s at most). One retried by an admin may get a second render task
# while its first still retries: the row lock makes one of them a no-op.
STALLED_AFTER = dt.timedelta(minutes=30)
# An issued certificate whose e-mail has not gone out this long after issue.
UNNOTIFIED_AFTER = dt.timedelta(minutes=10)
# Older than this, a lost e-mail is not worth sending any more.
NOTICE_HORIZON = dt.timedelta(days=2)


def stalled_requeue(
    *,
    stalled_after: dt.timedelta = STALLED_AFTER,
    unnotified_after: dt.timedelta = UNNOTIFIED_AFTER,
) -> dict:
    """Queue again the renders and e-mails whose task was lost (the broker was
    down when they were dispatched, or lost the message). Both tasks are
    no-ops for a certificate that no longer needs them, so queueing one twice
    is harmless. Raises kombu's OperationalError while the broker is down."""
    from certificates.models import Certificate

    now = timezone.now()
    Status = Certificate.Status
    pending = Certificate.objects.filter(
        status=Status.PENDING, created_at__lte=now - stalled_after
    )
    unnotified = Certificate.objects.filter(
        status=Status.ISSUED,
        notified_at__isnull=True,
        issued_at__lte=now - unnotified_after,
        issued_at__gte=now - NOTICE_HORIZON,
        enrolment__trainee__erased_at__isnull=True,
    )
    renders = emails = 0
    for certificate_id in list(pending.values_list("pk", flat=True)):
        render_certificate.delay(certificate_id)
        renders += 1
    for certificate_id in list(unnotified.values_list("pk", flat=True)):
        send_certificate_email.delay(certificate_id)
        emails += 1
    return {"renders": renders, "emails": emails}


@shared_task
def requeue_stalled_certificates() -> dict:
    """stalled_requeue on a periodic schedule (Celery beat)."""
    return stalled_requeue()


@shared_task(
    bind=True,
    acks_late=True,
    # A PDF that kills the worker process is not handed to the next one.
    reject_on_worker_lost=False,
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=5,
    soft_time_limit=20,
    time_limit=30,
)
def check_template_background(self, template_id: int) -> str | None:
    """Validate an uploaded template background (certificates/backgrounds.py):
    crafted PDFs are parsed here, under a time limit, never in a web request."""
    from celery.exceptions import SoftTimeLimitExceeded

    from certificates import backgrounds

    try:
        return backgrounds.background_check(
            template_id=template_id, time_limit_errors=(SoftTimeLimitExceeded,)
        )
    except SoftTimeLimitExceeded:
        backgrounds.background_check_failed(
            template_id=template_id, reason=backgrounds.TOO_SLOW
        )
    except OSError as error:
        if self.request.retries < self.max_retries:
            raise
        backgrounds.background_check_failed(
            template_id=template_id,
            reason=f"The file could not be read from storage: {error}",
        )
    return None


@shared_task(soft_time_limit=20, time_limit=30)
def render_template_preview(template_id: int) -> str:
    """A sample certificate with an uploaded background, rendered here so the
    web process never parses an uploaded PDF; base64 for the JSON result."""
    import base64

    from certificates.admin.preview import render_sample
    from certificates.models import CertificateTemplate

    template = CertificateTemplate.objects.get(pk=template_id)
    return base64.b64encode(render_sample(template)).decode("ascii")
