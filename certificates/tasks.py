"""Celery tasks of certificates: thin, taking ids, safe to run twice."""

from celery import shared_task

from certificates import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(services.StorageUnavailable,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_kwargs={"max_retries": 6},
    # A crafted background must not hold a worker for ever.
    soft_time_limit=60,
    time_limit=90,
)
def render_certificate(self, certificate_id: int) -> str | None:
    try:
        certificate = services.certificate_render(certificate_id=certificate_id)
    except services.StorageUnavailable as error:
        if self.request.retries >= self.max_retries:
            services.certificate_mark_failed(
                certificate_id=certificate_id,
                reason=f"Storage unavailable after {self.max_retries} retries: {error}",
            )
            return None
        raise
    return certificate.status if certificate else None


@shared_task(acks_late=True)
def send_certificate_email(certificate_id: int) -> bool:
    from certificates.notifications import certificate_email_send

    return certificate_email_send(certificate_id=certificate_id)
