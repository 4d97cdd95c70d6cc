"""Generating certificates in the worker: the PDF drawn, stored and issued;
giving up on one or retrying it; the sample a template's preview shows; and
requeueing the generations whose task was lost. The e-mail that says a
certificate is ready is queued in the outbox in the transaction that issues it.

Generating locks the row, so two workers on the same certificate take turns
and the second finds it issued; the file name is fixed by the serial, so a
generation retried after a killed worker replaces its half-written file
instead of leaving a second one.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import replace
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from academy_site.dispatch import task_named
from certificates import audit, pdf
from certificates.models import Certificate, CertificateTemplate
from certificates.notifications import certificate_email_queue
from certificates.selectors import certificate_data, pdf_name
from certificates.services.credentials import credential_sign
from certificates.services.dispatch import (
    GENERATE_CERTIFICATE,
    certificate_generate_on_commit,
)
from certificates.services.errors import CertificateError, StorageUnavailable
from certificates.services.issuing import template_for

logger = logging.getLogger(__name__)
Status = Certificate.Status

# Template id -> (its updated_at, the parsed background): one entry a template,
# replaced when an admin changes it, so a long-lived worker does not grow.
_backgrounds: dict[int, tuple[object, pdf.Background]] = {}


def background_for(template: CertificateTemplate) -> pdf.Background:
    """The parsed background of a template, kept per worker process and
    re-read when the template changes. Reading an upload from storage can hit
    an outage (StorageUnavailable, retried); parsing it can fail for good
    (pdf errors, which mark the certificate failed)."""
    if not template.uses_uploaded_background:
        return pdf.default_background()
    cached = _backgrounds.get(template.pk)
    if cached and cached[0] == template.updated_at:
        return cached[1]
    try:
        with template.background.open("rb") as handle:
            body = handle.read()
    except FileNotFoundError:
        raise  # gone for good: the certificate fails with the reason
    except OSError as error:
        raise StorageUnavailable(str(error)) from error
    except Exception as error:
        if _is_transient_storage_error(error):
            raise StorageUnavailable(str(error)) from error
        raise
    background = pdf.prepare_background(body)
    _backgrounds[template.pk] = (template.updated_at, background)
    return background


# --- Generating (in the worker) -----------------------------------------------


def certificate_generate(
    *, certificate_id: int, issued_at: dt.datetime | None = None
) -> Certificate | None:
    """Render, store and issue one certificate, and queue its e-mail in the
    same transaction; a no-op when it is no longer pending. `issued_at`: the
    issue date it prints and its validity counts from, now by default (the
    demo academy dates the certificates of its past runs to their end). Raises
    StorageUnavailable for the task to retry; any other error marks the
    certificate failed with the reason.

    The row lock is held while rendering and storing: a second worker on the
    same certificate waits and then finds it issued, instead of storing a
    second file."""
    with transaction.atomic():
        # Only the validity is needed from the course: joining the whole page
        # row (and ordering for first()) costs more than the query itself.
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("template", "enrolment__course")
            .annotate(
                validity_months=F("enrolment__course__certificate_validity_months")
            )
            .filter(pk=certificate_id)
            .order_by()
            .first()
        )
        if certificate is None or certificate.status != Status.PENDING:
            return certificate
        certificate.render_attempts += 1
        now = issued_at or timezone.now()
        certificate.issued_at = now
        months = certificate.validity_months
        certificate.expires_at = now + relativedelta(months=months) if months else None
        try:
            # Signed first: the PDF carries the credential as an attached file.
            certificate.credential = credential_sign(certificate)
            body = pdf.certificate_pdf(
                replace(
                    certificate_data(certificate), credential=certificate.credential
                ),
                background_for(certificate.template),
            )
        except StorageUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - recorded for the admin
            logger.exception("Certificate %s failed to render", certificate.serial)
            return _mark_failed(certificate, f"Rendering failed: {error}")
        try:
            certificate.pdf.name = _store(pdf_name(certificate), body)
        except StorageUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - recorded for the admin
            logger.exception("Certificate %s could not be stored", certificate.serial)
            return _mark_failed(certificate, f"Storing the PDF failed: {error}")
        certificate.sha256 = hashlib.sha256(body).hexdigest()
        certificate.status = Status.ISSUED
        certificate.failure_reason = ""
        certificate.save(
            update_fields=[
                "pdf",
                "sha256",
                "credential",
                "status",
                "failure_reason",
                "issued_at",
                "expires_at",
                "render_attempts",
            ]
        )
        certificate_email_queue(certificate=certificate)
        return certificate


def _store(name: str, body: bytes) -> str:
    """Save under exactly `name`, replacing what a killed attempt left there
    (storages would otherwise pick a second, suffixed name)."""
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
        return default_storage.save(name, ContentFile(body))
    except OSError as error:  # the disk, or the network under it
        raise StorageUnavailable(str(error)) from error
    except Exception as error:
        if _is_transient_storage_error(error):
            raise StorageUnavailable(str(error)) from error
        raise


def _is_transient_storage_error(error: Exception) -> bool:
    """botocore's connection and throttling errors, without importing boto."""
    if type(error).__name__ in {
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ConnectionClosedError",
    }:
        return True
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Code") in {
        "SlowDown",
        "ServiceUnavailable",
        "RequestTimeout",
        "InternalError",
    }


def _mark_failed(certificate: Certificate, reason: str) -> Certificate:
    certificate.status = Status.FAILED
    certificate.failure_reason = reason[:2000]
    certificate.issued_at = None
    certificate.expires_at = None
    certificate.save(
        update_fields=[
            "status",
            "failure_reason",
            "issued_at",
            "expires_at",
            "render_attempts",
        ]
    )
    return certificate


def certificate_mark_failed(*, certificate_id: int, reason: str) -> None:
    """Give up on a certificate (retries exhausted); the admin can retry."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        )
        if certificate and certificate.status == Status.PENDING:
            _mark_failed(certificate, reason)


def certificate_retry(*, certificate: Certificate, by) -> Certificate:
    """Generate a failed certificate again. The template is chosen afresh, so
    an admin can fix a broken design by correcting the template or by
    replacing it with another one."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__trainee")
            .get(pk=certificate.pk)
        )
        if certificate.status != Status.FAILED:
            raise CertificateError("Only a failed certificate can be retried.")
        template = template_for(
            kind=certificate.kind,
            is_member=certificate.is_member,
            language=certificate.enrolment.trainee.preferred_language,
        )
        failure_reason = certificate.failure_reason
        certificate.template, certificate.language = template, template.language
        certificate.status = Status.PENDING
        certificate.failure_reason = ""
        certificate.save(
            update_fields=["template", "language", "status", "failure_reason"]
        )
        audit.log_certificate_retried(
            certificate=certificate, by=by, failure_reason=failure_reason
        )
        certificate_generate_on_commit(certificate_id=certificate.pk)
        return certificate


# --- A template's sample, for its preview ---------------------------------------

# Two made-up holders, one a page: a Serbian Latin and a Cyrillic name with
# every letter the Latin-only fonts lack and a hyphen, and a course title long
# enough to show how the template wraps or shrinks it.
SAMPLE_NAMES = ("Đorđe Šćepanović-Žižić", "Љубица Његош-Ђурић")
SAMPLE_COURSE = (
    "Secure Development and Threat Modelling of Cloud-Native Public Services "
    "for Teams Moving from Monoliths to Kubernetes (sample course)"
)


def _sample_certificate(template: CertificateTemplate, name: str) -> Certificate:
    """An unsaved certificate with made-up snapshots, never stored."""
    today = timezone.localdate()
    return Certificate(
        template=template,
        kind=template.kind,
        serial=f"CA-{today.year}-000000",
        verification_code="sample-certificate",
        full_name=name,
        course_title=SAMPLE_COURSE,
        hours=Decimal("24"),
        starts_on=today - dt.timedelta(days=14),
        ends_on=today - dt.timedelta(days=12),
        is_member=template.audience == CertificateTemplate.Audience.MEMBER,
        language=template.language,
        issued_at=timezone.now(),
    )


def template_sample_pdf(*, template: CertificateTemplate) -> bytes:
    """Sample certificates of `template` with made-up data, one page per
    sample name, as PDF bytes; nothing is saved. The background is parsed
    here, so only a worker calls this (services/previews.py)."""
    background = background_for(template)
    return pdf.pdfs_joined(
        [
            pdf.certificate_pdf(
                certificate_data(_sample_certificate(template, name)), background
            )
            for name in SAMPLE_NAMES
        ]
    )


# --- Work whose task was lost -------------------------------------------------

# A certificate still pending this long after it was requested lost its
# generation task: longer than the whole backoff of generate_certificate (5 +
# 10 + ... + 160 s at most). One retried by an admin may get a second task
# while its first still retries: the row lock makes one of them a no-op.
STALLED_AFTER = dt.timedelta(minutes=30)


def stalled_requeue(*, stalled_after: dt.timedelta = STALLED_AFTER) -> int:
    """Queue again the generations whose task was lost (the broker was down
    when they were dispatched, or lost the message); their e-mails are the
    outbox's (academy_site/outbox/). The task is a no-op for a certificate no
    longer pending, so queueing one twice is harmless. Returns how many were
    queued; raises kombu's OperationalError while the broker is down."""
    pending = Certificate.objects.filter(
        status=Status.PENDING, created_at__lte=timezone.now() - stalled_after
    ).values_list("pk", flat=True)
    queued = 0
    for certificate_id in list(pending):
        task_named(GENERATE_CERTIFICATE).delay(certificate_id)
        queued += 1
    return queued
