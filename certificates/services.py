"""Every write of certificates: request, render, retry, revoke, reissue, bulk.

A certificate is requested in the web process (a row with its snapshots and a
serial, status "pending") and rendered by a Celery task dispatched after
commit. Rendering locks the row, so two workers on the same certificate take
turns and the second finds it issued; the file name is fixed by the serial, so
a render retried after a killed worker replaces its half-written file instead
of leaving a second one.
"""

import hashlib
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates import pdf
from certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateTemplate,
    Kind,
    SerialSequence,
)
from courses.models import CourseRun
from enrolments.models import Enrolment

logger = logging.getLogger(__name__)
Status = Certificate.Status

# What a certificate can be issued for, by enrolment outcome.
KIND_FOR_OUTCOME = {"attendance": Kind.ATTENDANCE, "completion": Kind.COMPLETION}
CURRENT_STATUSES = (Status.PENDING, Status.ISSUED, Status.FAILED)


class CertificateError(Exception):
    """A request that cannot be done; the message can be shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StorageUnavailable(Exception):
    """Storage could not be reached: worth retrying later."""


# --- Choosing and numbering --------------------------------------------------


def template_for(*, kind: str, is_member: bool, language: str) -> CertificateTemplate:
    """The active template for a kind and audience, preferring the trainee's
    language and an exact audience over "any". Raises CertificateError when the
    academy has none."""
    audience = (
        CertificateTemplate.Audience.MEMBER
        if is_member
        else CertificateTemplate.Audience.NON_MEMBER
    )
    candidates = list(
        CertificateTemplate.objects.filter(
            kind=kind,
            is_active=True,
            audience__in=[audience, CertificateTemplate.Audience.ANY],
        ).exclude(background_status=CertificateTemplate.BackgroundStatus.INVALID)
    )

    def rank(template):
        return (
            template.language != language,
            template.audience != audience,
            template.pk,
        )

    if not candidates:
        raise CertificateError(
            f"No active {Kind(kind).label.lower()} certificate template for "
            f"{'members' if is_member else 'non-members'}; add one in "
            "Certificates > Templates."
        )
    return min(candidates, key=rank)


def serial_next(*, year: int) -> str:
    """CA-2026-000123: the next number of the year, under a row lock."""
    with transaction.atomic():
        SerialSequence.objects.get_or_create(year=year)
        sequence = SerialSequence.objects.select_for_update().get(year=year)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return f"CA-{year}-{sequence.last_number:06d}"


# --- Requesting ---------------------------------------------------------------


def certificate_request(
    *,
    enrolment: Enrolment,
    kind: str,
    by=None,
    batch: CertificateBatch | None = None,
    full_name: str | None = None,
) -> Certificate:
    """Ask for the certificate of `kind` for `enrolment`: returns the current
    one if it exists (a repeat is a no-op), else a new pending certificate
    whose rendering is dispatched after commit."""
    outcome_kind = KIND_FOR_OUTCOME.get(enrolment.outcome)
    earned = outcome_kind == kind or (
        kind == Kind.ATTENDANCE and outcome_kind == Kind.COMPLETION
    )
    if not earned:
        raise CertificateError(
            f"{enrolment.trainee} has not earned a "
            f"{Kind(kind).label.lower()} certificate."
        )
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("trainee", "course", "run")
            .get(pk=enrolment.pk)
        )
        current = Certificate.objects.filter(
            enrolment=enrolment, kind=kind, status__in=CURRENT_STATUSES
        ).first()
        if current:
            return current
        certificate = _new_certificate(
            enrolment=enrolment, kind=kind, by=by, batch=batch, full_name=full_name
        )
        certificate_render_on_commit(certificate_id=certificate.pk)
        return certificate


def _new_certificate(*, enrolment, kind, by, batch, full_name=None) -> Certificate:
    trainee = enrolment.trainee
    course = enrolment.course
    template = template_for(
        kind=kind, is_member=enrolment.is_member, language=trainee.preferred_language
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                enrolment=enrolment,
                kind=kind,
                template=template,
                batch=batch,
                serial=serial_next(year=timezone.localdate(now).year),
                full_name=full_name or trainee.full_name,
                course_title=course.title,
                hours=course.duration_hours,
                starts_on=enrolment.run.starts_on if enrolment.run else None,
                ends_on=enrolment.run.ends_on if enrolment.run else None,
                is_member=enrolment.is_member,
                language=template.language,
                issued_by=by,
            )
    except IntegrityError as error:
        raise CertificateError(
            "This enrolment already has a certificate of this kind."
        ) from error


def certificate_render_on_commit(*, certificate_id: int) -> None:
    from certificates.tasks import render_certificate

    transaction.on_commit(lambda: render_certificate.delay(certificate_id))


def certificates_issue_for_run(
    *, run: CourseRun, by, enrolment_ids: list[int] | None = None
) -> tuple[CertificateBatch, list[str]]:
    """Issue the certificates trainees of `run` have earned: the ones picked,
    or all eligible. Returns the batch (its certificates report progress) and
    the reasons some could not be requested."""
    enrolments = Enrolment.objects.filter(
        run=run, outcome__in=list(KIND_FOR_OUTCOME)
    ).select_related("trainee")
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=enrolment_ids)
    problems = []
    with transaction.atomic():
        batch = CertificateBatch.objects.create(run=run, requested_by=by)
        for enrolment in enrolments:
            try:
                certificate = certificate_request(
                    enrolment=enrolment,
                    kind=KIND_FOR_OUTCOME[enrolment.outcome],
                    by=by,
                    batch=batch,
                )
            except CertificateError as error:
                problems.append(error.message)
                continue
            if certificate.batch_id != batch.pk:
                # Already requested earlier: count it in this batch's progress.
                Certificate.objects.filter(pk=certificate.pk).update(batch=batch)
    return batch, problems


def batch_progress(*, batch: CertificateBatch) -> dict:
    counts = {status: 0 for status in Status.values}
    for status in batch.certificates.values_list("status", flat=True):
        counts[status] += 1
    total = sum(counts.values())
    done = counts[Status.ISSUED] + counts[Status.REVOKED] + counts[Status.SUPERSEDED]
    return {
        "total": total,
        "done": done,
        "failed": counts[Status.FAILED],
        "pending": counts[Status.PENDING],
        "finished": counts[Status.PENDING] == 0,
    }


# --- Rendering (in the worker) -----------------------------------------------

_backgrounds: dict[tuple[int, str], pdf.Background] = {}


def background_for(template: CertificateTemplate) -> pdf.Background:
    """The parsed background of a template, kept per worker process and
    re-read when the template changes."""
    if not template.uses_uploaded_background:
        return pdf.default_background()
    key = (template.pk, template.updated_at.isoformat())
    if key not in _backgrounds:
        with template.background.open("rb") as handle:
            _backgrounds[key] = pdf.prepare_background(handle.read())
    return _backgrounds[key]


def certificate_data(certificate: Certificate) -> pdf.CertificateData:
    template = certificate.template
    hours = f"{certificate.hours.normalize():f}"
    details = f"{hours} hours"
    if certificate.starts_on and certificate.ends_on:
        details += (
            f" · {certificate.starts_on:%-d %b %Y} – {certificate.ends_on:%-d %b %Y}"
        )
    issued = timezone.localdate(certificate.issued_at or timezone.now())
    signatories = tuple(
        pdf.Signatory(name, title)
        for name, title in (
            (template.signatory_1_name, template.signatory_1_title),
            (template.signatory_2_name, template.signatory_2_title),
        )
        if name
    )
    return pdf.CertificateData(
        heading=template.heading,
        full_name=certificate.full_name,
        statement=template.statement,
        course_title=certificate.course_title,
        details=details,
        issued_on=f"Issued {issued:%-d %b %Y}",
        serial=certificate.serial,
        verify_url=verification_url(certificate),
        signatories=signatories,
        language=certificate.language,
    )


def verification_url(certificate: Certificate) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}/verify/{certificate.verification_code}/"


def pdf_name(certificate: Certificate) -> str:
    """Fixed per certificate, so a retried render overwrites, never adds."""
    return f"certificates/{certificate.serial}-{certificate.verification_code[:12]}.pdf"


def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Render, store and issue one certificate; a no-op when it is no longer
    pending. Raises StorageUnavailable for the task to retry; any other error
    marks the certificate failed with the reason."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("template", "enrolment__course")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None or certificate.status != Status.PENDING:
            return certificate
        certificate.render_attempts += 1
        now = timezone.now()
        certificate.issued_at = now
        try:
            body = pdf.render_certificate(
                certificate_data(certificate), background_for(certificate.template)
            )
        except Exception as error:  # noqa: BLE001 - recorded for the admin
            logger.exception("Certificate %s failed to render", certificate.serial)
            return _mark_failed(certificate, f"Rendering failed: {error}")
        name = pdf_name(certificate)
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
            stored = default_storage.save(name, ContentFile(body))
        except (OSError, ConnectionError) as error:
            raise StorageUnavailable(str(error)) from error
        except Exception as error:
            if _is_transient_storage_error(error):
                raise StorageUnavailable(str(error)) from error
            raise
        certificate.pdf.name = stored
        certificate.sha256 = hashlib.sha256(body).hexdigest()
        certificate.status = Status.ISSUED
        certificate.failure_reason = ""
        months = certificate.enrolment.course.certificate_validity_months
        certificate.expires_at = now + relativedelta(months=months) if months else None
        certificate.save()
        notify_on_commit(certificate_id=certificate.pk)
        return certificate


def _is_transient_storage_error(error: Exception) -> bool:
    """botocore's connection and throttling errors, without importing boto."""
    name = type(error).__name__
    return name in {
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ConnectionClosedError",
    } or getattr(error, "response", {}).get("Error", {}).get("Code") in {
        "SlowDown",
        "ServiceUnavailable",
        "RequestTimeout",
        "InternalError",
    }


def _mark_failed(certificate: Certificate, reason: str) -> Certificate:
    certificate.status = Status.FAILED
    certificate.failure_reason = reason[:2000]
    certificate.issued_at = None
    certificate.save(
        update_fields=["status", "failure_reason", "issued_at", "render_attempts"]
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


def notify_on_commit(*, certificate_id: int) -> None:
    from certificates.tasks import send_certificate_email

    transaction.on_commit(lambda: send_certificate_email.delay(certificate_id))


# --- Lifecycle ----------------------------------------------------------------


def certificate_retry(*, certificate: Certificate, by) -> Certificate:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != Status.FAILED:
            raise CertificateError("Only a failed certificate can be retried.")
        certificate.status = Status.PENDING
        certificate.failure_reason = ""
        certificate.save(update_fields=["status", "failure_reason"])
        certificate_render_on_commit(certificate_id=certificate.pk)
        return certificate


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("Give a reason for revoking the certificate.")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != Status.ISSUED:
            raise CertificateError("Only an issued certificate can be revoked.")
        certificate.status = Status.REVOKED
        certificate.revoked_at, certificate.revoked_by = timezone.now(), by
        certificate.revocation_reason = reason
        certificate.save(
            update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"]
        )
        return certificate


def certificate_reissue(
    *, certificate: Certificate, by, full_name: str | None = None
) -> Certificate:
    """A new certificate (new serial, new code, new file) that supersedes an
    issued one, e.g. with a corrected name. The old one stays, marked
    superseded, and its verification page points to nothing new (no PII)."""
    full_name = (full_name or "").strip() or None
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__trainee", "enrolment__course", "enrolment__run")
            .get(pk=certificate.pk)
        )
        if old.status != Status.ISSUED:
            raise CertificateError("Only an issued certificate can be reissued.")
        old.status = Status.SUPERSEDED
        old.save(update_fields=["status"])
        new = _new_certificate(
            enrolment=old.enrolment,
            kind=old.kind,
            by=by,
            batch=None,
            full_name=full_name or old.enrolment.trainee.full_name,
        )
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        certificate_render_on_commit(certificate_id=new.pk)
        return new
