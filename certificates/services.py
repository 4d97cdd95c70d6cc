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
from django.db.models import Count, F
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academy_site.languages import strip_language_prefix
from academy_site.transliteration import to_script
from certificates import audit, pdf
from certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateTemplate,
    Kind,
    SerialSequence,
)
from courses.locales import title_in
from courses.models import CourseRun
from enrolments.models import Enrolment

logger = logging.getLogger(__name__)
Status = Certificate.Status

# What a certificate can be issued for, by enrolment outcome.
KIND_FOR_OUTCOME = {"attendance": Kind.ATTENDANCE, "completion": Kind.COMPLETION}
CURRENT_STATUSES = (Status.PENDING, Status.ISSUED, Status.FAILED)
# Enrolments that ended without the trainee taking part keep no claim to a
# certificate, whatever outcome was last computed for them.
NOT_ELIGIBLE_STATUSES = (Enrolment.Status.CANCELLED, Enrolment.Status.REJECTED)
# Serbian in its two scripts; "sr" is Cyrillic (Django's and Wagtail's code).
CYRILLIC = "sr"
SERBIAN = ("sr-latn", CYRILLIC)


class CertificateError(Exception):
    """A request that cannot be done; the message can be shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StorageUnavailable(Exception):
    """Storage could not be reached: worth retrying later."""


# --- Choosing and numbering --------------------------------------------------


def _language_distance(wanted: str, offered: str) -> int:
    """0 for the trainee's language, 1 for the other script of it (Serbian
    Cyrillic for Serbian Latin), 2 for any other language."""
    if offered == wanted:
        return 0
    if offered.split("-")[0] == wanted.split("-")[0]:
        return 1
    return 2


def template_for(*, kind: str, is_member: bool, language: str) -> CertificateTemplate:
    """The active template for a kind and audience. A template in the trainee's
    language wins (a certificate they can read matters more than member
    wording), then an exact audience over "any", then the oldest. A template
    whose uploaded background was refused is skipped. Raises CertificateError
    when the academy has none."""
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
    if not candidates:
        raise CertificateError(
            f"No active {Kind(kind).label.lower()} certificate template for "
            f"{'members' if is_member else 'non-members'}; add one in "
            "Certificates > Templates."
        )
    return min(
        candidates,
        key=lambda template: (
            _language_distance(language, template.language),
            template.audience != audience,
            template.pk,
        ),
    )


def serial_next(*, year: int) -> str:
    """CA-2026-000123: the next number of the year.

    The UPDATE takes the row lock itself and holds it to the end of the
    caller's transaction, so a concurrent issuer waits and then counts on from
    the committed number: never the same serial twice."""
    sequences = SerialSequence.objects.filter(year=year)
    with transaction.atomic():
        if not sequences.update(last_number=F("last_number") + 1):
            # The year's first serial; get_or_create survives a concurrent
            # first insert (it re-reads after the IntegrityError).
            SerialSequence.objects.get_or_create(year=year)
            sequences.update(last_number=F("last_number") + 1)
        number = sequences.values_list("last_number", flat=True).get()
    return f"CA-{year}-{number:06d}"


# --- Requesting ---------------------------------------------------------------


def _refuse_erased(enrolment: Enrolment) -> None:
    # An erased trainee's name is gone: a new certificate would carry the
    # placeholder, and no one could receive it.
    if enrolment.trainee.erased_at is not None:
        raise CertificateError(
            "This trainee's personal data was erased: no new certificate can be "
            "issued to them."
        )


def _refuse_unearned(enrolment: Enrolment, kind: str) -> None:
    outcome_kind = KIND_FOR_OUTCOME.get(enrolment.outcome)
    earned = outcome_kind == kind or (
        kind == Kind.ATTENDANCE and outcome_kind == Kind.COMPLETION
    )
    if not earned or enrolment.status in NOT_ELIGIBLE_STATUSES:
        raise CertificateError(
            f"{enrolment.trainee} has not earned the "
            f"{Kind(kind).label.lower()} certificate."
        )


def _current_certificate(*, enrolment_id: int, kind: str) -> Certificate | None:
    return Certificate.objects.filter(
        enrolment_id=enrolment_id, kind=kind, status__in=CURRENT_STATUSES
    ).first()


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
    whose rendering is dispatched after commit. The enrolment is re-read under
    a row lock, so the outcome checked is the committed one and two requests at
    once make one certificate."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("trainee", "course", "run")
            .get(pk=enrolment.pk)
        )
        _refuse_unearned(enrolment, kind)
        current = _current_certificate(enrolment_id=enrolment.pk, kind=kind)
        if current:
            return current
        _refuse_erased(enrolment)
        try:
            certificate = _new_certificate(
                enrolment=enrolment, kind=kind, by=by, batch=batch, full_name=full_name
            )
        except IntegrityError:
            # A concurrent request won where row locks are not enforced
            # (SQLite): the unique constraint kept one, which is the answer.
            current = _current_certificate(enrolment_id=enrolment.pk, kind=kind)
            if current is None:
                raise
            return current
        audit.log_certificate_issued(certificate=certificate, by=by)
        certificate_render_on_commit(certificate_id=certificate.pk)
        return certificate


def _new_certificate(*, enrolment, kind, by, batch, full_name=None) -> Certificate:
    """Insert a pending certificate with its snapshots and a fresh serial.
    Lets IntegrityError through (in a savepoint, so the caller's transaction
    stays usable) when the enrolment already has a current one of the kind."""
    trainee = enrolment.trainee
    course = enrolment.course
    template = template_for(
        kind=kind, is_member=enrolment.is_member, language=trainee.preferred_language
    )
    with transaction.atomic():
        return Certificate.objects.create(
            enrolment=enrolment,
            kind=kind,
            template=template,
            batch=batch,
            serial=serial_next(year=timezone.localdate().year),
            full_name=full_name or trainee.full_name,
            course_title=title_in(course, template.language),
            hours=course.duration_hours,
            starts_on=enrolment.run.starts_on if enrolment.run else None,
            ends_on=enrolment.run.ends_on if enrolment.run else None,
            is_member=enrolment.is_member,
            language=template.language,
            issued_by=by,
        )


def certificate_render_on_commit(*, certificate_id: int) -> None:
    from certificates.tasks import render_certificate
    from enrolments.notifications import queue_task

    # A broker outage must not turn the committed request into an error page:
    # tasks.requeue_stalled_certificates queues the render again later.
    transaction.on_commit(lambda: queue_task(render_certificate, certificate_id))


def certificates_issue_for_run(
    *, run: CourseRun, by, enrolment_ids: list[int] | None = None
) -> tuple[CertificateBatch, list[str]]:
    """Issue the certificates trainees of `run` have earned: the ones picked,
    or all eligible. Returns the batch (its certificates report progress) and,
    one line per trainee, the reasons some could not be requested."""
    enrolments = (
        Enrolment.objects.filter(run=run)
        .select_related("trainee")
        .order_by("trainee__full_name", "pk")
    )
    if enrolment_ids is None:
        enrolments = enrolments.filter(outcome__in=list(KIND_FOR_OUTCOME)).exclude(
            status__in=NOT_ELIGIBLE_STATUSES
        )
    else:
        # Picked by hand: each picked trainee who earned nothing is reported.
        enrolments = enrolments.filter(pk__in=enrolment_ids)
    problems = []
    with transaction.atomic():
        batch = CertificateBatch.objects.create(run=run, requested_by=by)
        for enrolment in enrolments:
            kind = KIND_FOR_OUTCOME.get(enrolment.outcome, Kind.ATTENDANCE)
            try:
                certificate = certificate_request(
                    enrolment=enrolment, kind=kind, by=by, batch=batch
                )
            except CertificateError as error:
                reason = error.message
                if str(enrolment.trainee) not in reason:
                    reason = f"{enrolment.trainee}: {reason}"
                problems.append(reason)
                continue
            if certificate.batch_id != batch.pk:
                # Already requested earlier: count it in this batch's progress.
                Certificate.objects.filter(pk=certificate.pk).update(batch=batch)
    return batch, problems


def batch_progress(*, batch: CertificateBatch) -> dict:
    """Done / failed / pending / total of a batch, in one query, for the
    progress bar the admin watches while the workers render."""
    counts = {status: 0 for status in Status.values}
    rows = batch.certificates.order_by().values("status").annotate(n=Count("pk"))
    for row in rows:
        counts[row["status"]] = row["n"]
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


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT")


def printed_name(full_name: str, language: str) -> str:
    """The holder's name in the certificate's script: a Serbian certificate
    prints it in its own script (transliterated when typed in the other one);
    any other prints it exactly as typed. The record keeps it as typed."""
    if language not in SERBIAN:
        return full_name
    return to_script(full_name, cyrillic=language == CYRILLIC)


def certificate_data(certificate: Certificate) -> pdf.CertificateData:
    """What the PDF says, all from the certificate's snapshots and template,
    in the certificate's language (its template's)."""
    with translation.override(certificate.language or settings.LANGUAGE_CODE):
        return _certificate_data(certificate)


def _certificate_data(certificate: Certificate) -> pdf.CertificateData:
    template = certificate.template
    hours = certificate.hours.normalize()
    details = ngettext(
        "%(hours)s hour", "%(hours)s hours", 1 if hours == 1 else int(hours) or 2
    ) % {"hours": number_format(hours)}
    if certificate.starts_on and certificate.ends_on:
        details += f" · {_date(certificate.starts_on)} – {_date(certificate.ends_on)}"
    issued_on = _("Issued %(date)s") % {
        "date": _date(timezone.localdate(certificate.issued_at or timezone.now()))
    }
    if certificate.expires_at:
        issued_on += " · " + _("valid until %(date)s") % {
            "date": _date(timezone.localdate(certificate.expires_at))
        }
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
        full_name=printed_name(certificate.full_name, certificate.language),
        statement=template.statement,
        course_title=certificate.course_title,
        details=details,
        issued_on=issued_on,
        serial=certificate.serial,
        verify_url=verification_url(certificate),
        verify_label=_("Verify this certificate:"),
        signatories=signatories,
        language=certificate.language,
    )


def verification_url(certificate: Certificate) -> str:
    """The absolute URL the QR code carries: the public /verify/<code>/ page
    without a language prefix, so it opens in the reader's own language."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + strip_language_prefix(
        certificate.get_absolute_url()
    )


def pdf_name(certificate: Certificate) -> str:
    """Fixed per certificate, so a retried render overwrites, never adds."""
    return f"certificates/{certificate.serial}-{certificate.verification_code[:12]}.pdf"


def certificate_render(
    *, certificate_id: int, redelivered: bool = False
) -> Certificate | None:
    """Render, store and issue one certificate; a no-op when it is no longer
    pending (except that a `redelivered` task of an issued certificate whose
    e-mail never went out queues the e-mail). Raises StorageUnavailable for
    the task to retry; any other error marks the certificate failed with the
    reason.

    The row lock is held while rendering and storing: a second worker on the
    same certificate waits and then finds it issued, instead of storing a
    second file."""
    with transaction.atomic():
        # Only the validity is needed from the course: joining the whole page
        # row (and ordering for first()) costs more than the query itself.
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("template")
            .annotate(
                validity_months=F("enrolment__course__certificate_validity_months")
            )
            .filter(pk=certificate_id)
            .order_by()
            .first()
        )
        if certificate is None or certificate.status != Status.PENDING:
            if redelivered and certificate is not None and _notice_lost(certificate):
                # A worker killed between the commit and the e-mail's dispatch
                # never acknowledged the render: its redelivery sends it on.
                notify_on_commit(certificate_id=certificate.pk)
            return certificate
        certificate.render_attempts += 1
        now = timezone.now()
        certificate.issued_at = now
        months = certificate.validity_months
        certificate.expires_at = now + relativedelta(months=months) if months else None
        try:
            body = pdf.render_certificate(
                certificate_data(certificate), background_for(certificate.template)
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
                "status",
                "failure_reason",
                "issued_at",
                "expires_at",
                "render_attempts",
            ]
        )
        notify_on_commit(certificate_id=certificate.pk)
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


def _notice_lost(certificate: Certificate) -> bool:
    return certificate.status == Status.ISSUED and certificate.notified_at is None


def notify_on_commit(*, certificate_id: int) -> None:
    from certificates.tasks import send_certificate_email
    from enrolments.notifications import queue_task

    transaction.on_commit(lambda: queue_task(send_certificate_email, certificate_id))


# --- Lifecycle ----------------------------------------------------------------


def certificate_retry(*, certificate: Certificate, by) -> Certificate:
    """Render a failed certificate again. The template is chosen afresh, so an
    admin can fix a broken design by correcting the template or by replacing
    it with another one."""
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
        audit.log_certificate_revoked(certificate=certificate, by=by, reason=reason)
        return certificate


def certificate_reissue(
    *, certificate: Certificate, by, full_name: str | None = None
) -> Certificate:
    """A new certificate (new serial, new code, new file) that supersedes an
    issued one, e.g. with a corrected name; without a name it takes the
    trainee's current one. The old one stays, marked superseded, and its
    verification page points to nothing new (no PII)."""
    full_name = (full_name or "").strip() or None
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__trainee", "enrolment__course", "enrolment__run")
            .get(pk=certificate.pk)
        )
        if old.status != Status.ISSUED:
            raise CertificateError("Only an issued certificate can be reissued.")
        _refuse_erased(old.enrolment)
        old.status = Status.SUPERSEDED
        old.save(update_fields=["status"])
        try:
            new = _new_certificate(
                enrolment=old.enrolment,
                kind=old.kind,
                by=by,
                batch=None,
                full_name=full_name or old.enrolment.trainee.full_name,
            )
        except IntegrityError as error:
            raise CertificateError(
                "This enrolment already has a certificate of this kind."
            ) from error
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        audit.log_certificate_reissued(old=old, new=new, by=by)
        certificate_render_on_commit(certificate_id=new.pk)
        return new
