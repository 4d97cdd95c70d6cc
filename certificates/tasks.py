"""Celery tasks of certificates: thin, taking ids, safe to run twice. Each
calls the service it is named after (see certificates/services/__init__.py):
the tasks handle Celery's side only, retries and time limits.

The database decides what happens (a certificate is generated only while
pending), so a duplicate or redelivered message is a no-op. The e-mail that
says a certificate is ready goes through the academy's outbox.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from certificates.services import backgrounds, expiry, previews
from certificates.services.errors import StorageUnavailable
from certificates.services.rendering import (
    certificate_generate,
    certificate_mark_failed,
    stalled_requeue,
)

# The check of an uploaded background prepares it and renders a sample
# certificate exactly as rendering does (pdf.validate_background), and the
# preview renders one too: both under these limits, which are tighter than
# generate_certificate's, so a background that passed its check always
# prepares in time when certificates are rendered.
BACKGROUND_TIME_LIMITS = {"soft_time_limit": 20, "time_limit": 30}


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(StorageUnavailable,),
    # The limit is the task's own attribute, not a retry_kwargs entry, so that
    # the check below and Celery's retry count against the same number.
    max_retries=6,
    retry_backoff=5,
    retry_backoff_max=300,
    # A crafted background must not hold a worker for ever.
    soft_time_limit=60,
    time_limit=90,
)
def generate_certificate(self, certificate_id: int) -> str | None:
    try:
        certificate = certificate_generate(certificate_id=certificate_id)
    except StorageUnavailable as error:
        if self.request.retries >= self.max_retries:
            certificate_mark_failed(
                certificate_id=certificate_id,
                reason=f"Storage unavailable after {self.max_retries} retries: {error}",
            )
            return None
        raise
    return str(certificate.status) if certificate else None


@shared_task
def requeue_stalled_certificates() -> int:
    """rendering.stalled_requeue on a periodic schedule (Celery beat)."""
    return stalled_requeue()


@shared_task(
    bind=True,
    acks_late=True,
    # A PDF that kills the worker process is not handed to the next one.
    reject_on_worker_lost=False,
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=5,
    **BACKGROUND_TIME_LIMITS,
)
def check_template_background(self, template_id: int) -> str | None:
    """Validate an uploaded template background (services/backgrounds.py):
    crafted PDFs are parsed here, under a time limit, never in a web request."""
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


@shared_task(
    acks_late=True,
    reject_on_worker_lost=False,
    autoretry_for=(StorageUnavailable,),
    max_retries=3,
    retry_backoff=5,
    **BACKGROUND_TIME_LIMITS,
)
def render_template_preview(template_id: int) -> str | None:
    """A template's sample certificates, stored as its preview
    (services/previews.py); a no-op when this version is already rendered."""
    return previews.template_preview_render(
        template_id=template_id, time_limit_errors=(SoftTimeLimitExceeded,)
    )


@shared_task(acks_late=True)
def send_expiry_reminders() -> int:
    """Reminders to holders of certificates expiring in 90, 30 and 7 days
    (beat, every morning); the outbox sends each once."""
    return expiry.expiry_reminders_queue()
