"""Every write of the outbox: queue, send, sweep, cancel.

Sending happens in three steps so that no database lock is held while the
mail server talks (which may take up to EMAIL_TIMEOUT): a short transaction
claims the row (status "sending", the time, one more attempt), the message is
handed to the mail server, and a second short transaction records the
result. A worker killed between the first and the last step leaves the row
"sending"; once its claim is older than OUTBOX_CLAIM_SECONDS the sweep (or the
broker redelivering the task) sends it again. A mail server that accepted the
message just before the kill would then get it twice: the window is the time
between the server's "250 OK" and one UPDATE.
"""

import datetime as dt
import logging
import smtplib

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError

from academy_site.dispatch import queue_task, task_on_commit
from academy_site.outbox.models import OutboundEmail

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status

SEND_TASK = "academy_site.outbox.tasks.send_outbound_email"

# Errors of the connection to the mail server, worth another try later. A
# 4xx reply (greylisting, a full queue) is temporary by definition; a 5xx
# reply (unknown recipient, refused sender) will not change.
TRANSIENT_ERRORS = (
    ConnectionError,
    TimeoutError,
    SoftTimeLimitExceeded,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)
MAX_ATTEMPTS = 6
# 1, 2, 4, ... minutes after each failure, at most an hour.
RETRY_BASE = dt.timedelta(minutes=1)
RETRY_MAX = dt.timedelta(hours=1)
# A row still waiting this long after it was due lost its task (the broker was
# down, or lost the message): the sweep queues it again.
LOST_AFTER = dt.timedelta(minutes=2)
# Older than this, an e-mail is about something long past: not sent any more.
HORIZON = dt.timedelta(days=2)
GAVE_UP = "Not sent within two days of being written; no longer worth sending."


def email_render(*, template: str, context: dict) -> tuple[str, str]:
    """`<template>.txt` and `<template>.html` rendered in the active language
    (callers wrap this in `academy_site.languages.in_language`)."""
    return (
        render_to_string(f"{template}.txt", context),
        render_to_string(f"{template}.html", context),
    )


def email_queue(
    *,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str = "",
    user=None,
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Write the e-mail in the caller's transaction and send it once that
    commits. None when an e-mail with `dedupe_key` exists already (so a
    feature that queues "once per X" may call this as often as it likes)."""
    if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                kind=kind,
                to=to,
                subject=" ".join(subject.split())[:300],
                body_text=body_text,
                body_html=body_html,
                language=language,
                user=user,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        # A concurrent transaction queued the same key first.
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    task_on_commit(SEND_TASK, email.pk)
    return email


def claim_lease() -> dt.timedelta:
    """How long a worker may take to send before its claim lapses: longer
    than the mail server's timeout, so a slow but live send is never doubled."""
    seconds = getattr(settings, "OUTBOX_CLAIM_SECONDS", None)
    if seconds is None:
        seconds = 2 * (settings.EMAIL_TIMEOUT or 30) + 30
    return dt.timedelta(seconds=seconds)


def _claim(email_id: int) -> OutboundEmail | None:
    now = timezone.now()
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update()
            .filter(
                Q(status=Status.QUEUED)
                | Q(status=Status.SENDING, claimed_at__lte=now - claim_lease()),
                pk=email_id,
            )
            .first()
        )
        if email is None:
            return None
        email.status = Status.SENDING
        email.claimed_at = now
        email.attempts += 1
        email.save(update_fields=["status", "claimed_at", "attempts"])
    return email


def is_transient(error: BaseException) -> bool:
    if isinstance(error, TRANSIENT_ERRORS):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    return False


def retry_delay(attempts: int) -> dt.timedelta:
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_MAX)


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail; True when the mail server took it now. A row
    that is sent, cancelled, failed or being sent by a live worker is left
    alone, so running this twice sends once."""
    email = _claim(email_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.to],
        # Lets a mail filter (or a test's mail server) tell the kinds apart.
        headers={"X-Academy-Kind": email.kind},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - every failure is recorded
        _record_failure(email, error)
        return False
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _record_failure(email: OutboundEmail, error: BaseException) -> None:
    reason = f"{type(error).__name__}: {error}"[:2000]
    retry = is_transient(error) and email.attempts < MAX_ATTEMPTS
    if retry:
        changes = {
            "status": Status.QUEUED,
            "next_attempt_at": timezone.now() + retry_delay(email.attempts),
        }
    else:
        if is_transient(error):
            reason = f"Gave up after {email.attempts} attempts. {reason}"
        changes = {"status": Status.FAILED}
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        last_error=reason, **changes
    )
    logger.warning(
        "E-mail %s (%s) not sent, attempt %s: %s; %s",
        email.pk,
        email.kind,
        email.attempts,
        reason,
        "retried later" if retry else "given up",
    )


def emails_sweep(
    *, lost_after: dt.timedelta = LOST_AFTER, horizon: dt.timedelta = HORIZON
) -> dict:
    """Queue again what waits for a retry or lost its task, and what a dead
    worker left half-sent; give up on what is older than `horizon`. Safe at
    any time: a row queued twice is sent once. Raises kombu's
    OperationalError while the broker is still unreachable."""
    now = timezone.now()
    too_old = OutboundEmail.objects.filter(
        status__in=[Status.QUEUED, Status.SENDING], created_at__lt=now - horizon
    ).update(status=Status.FAILED, last_error=GAVE_UP)
    due = OutboundEmail.objects.filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now - lost_after)
        | Q(status=Status.SENDING, claimed_at__lte=now - claim_lease())
    ).values_list("pk", flat=True)
    queued = 0
    for email_id in list(due):
        if not queue_task(SEND_TASK, email_id):
            raise OperationalError("the broker is unreachable; try the sweep later")
        queued += 1
    return {"queued": queued, "given_up": too_old}


def email_retry(*, email: OutboundEmail) -> bool:
    """An admin's "send again" for a failed e-mail: back in the queue with a
    fresh count of attempts. False for one that is not failed."""
    with transaction.atomic():
        updated = OutboundEmail.objects.filter(
            pk=email.pk, status=Status.FAILED
        ).update(status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now())
        if updated:
            task_on_commit(SEND_TASK, email.pk)
    return bool(updated)


def emails_forget_user(*, user) -> int:
    """For erasure: cancel what has not gone out to `user` and empty every
    e-mail to them of its address and text, keeping kind, status and times
    (the statistics of what the academy sent). Returns how many rows."""
    emails = OutboundEmail.objects.filter(user=user)
    emails.filter(status__in=[Status.QUEUED, Status.FAILED]).update(
        status=Status.CANCELLED
    )
    return emails.update(
        to="erased@invalid", subject="", body_text="", body_html="", last_error=""
    )
