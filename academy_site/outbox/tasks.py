"""The outbox's Celery tasks: thin, taking ids, safe to run twice."""

from celery import shared_task

from academy_site.outbox import services


# The hard limit ends a send that hangs past the mail server's timeout
# (EMAIL_TIMEOUT); the claim then lapses and the sweep sends it again.
@shared_task(acks_late=True, soft_time_limit=90, time_limit=120)
def send_outbound_email(email_id: int) -> bool:
    return services.email_send(email_id=email_id)


@shared_task
def sweep_outbound_emails() -> dict:
    """services.emails_sweep on a periodic schedule (Celery beat)."""
    return services.emails_sweep()
