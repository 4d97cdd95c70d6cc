"""An issued certificate's life: revoked with a reason, or reissued (a new
certificate supersedes it). Nothing is deleted: the old row keeps its status,
so its verification page says what became of it. Expiry is no write: a
certificate's `expires_at` is set when it is generated (from its course's
validity) and `Certificate.is_expired` reads it.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import audit
from certificates.models import KIND_TITLES, Certificate, CertificateReview, Kind
from certificates.selectors import kind_earned
from certificates.services.dispatch import certificate_generate_on_commit
from certificates.services.errors import CertificateError
from certificates.services.issuing import certificate_create_pending, refuse_erased
from certificates.services.review import review_close_if_open
from enrolments.names import full_name_normalise

Status = Certificate.Status
Decision = CertificateReview.Decision


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
        review_close_if_open(
            certificate=certificate, by=by, decision=Decision.REVOKED, note=reason
        )
        return certificate


def certificate_reissue(
    *,
    certificate: Certificate,
    by,
    full_name: str | None = None,
    kind: str | None = None,
) -> Certificate:
    """A new certificate (new serial, new code, new file) that supersedes an
    issued one, e.g. with a corrected name; without a name it takes the
    trainee's current one. `kind` corrects the kind too (a completion
    certificate whose outcome fell to attendance), which the enrolment's
    outcome must earn. The old one stays, marked superseded, and its
    verification page points to nothing new (no PII); its open review, if
    any, is closed as reissued."""
    full_name = full_name_normalise(full_name or "") or None
    if kind is not None and kind not in Kind.values:
        raise CertificateError(_("Unknown kind of certificate."))
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__trainee", "enrolment__course", "enrolment__run")
            .get(pk=certificate.pk)
        )
        if old.status != Status.ISSUED:
            raise CertificateError("Only an issued certificate can be reissued.")
        refuse_erased(old.enrolment)
        kind = kind or old.kind
        if kind != old.kind and not kind_earned(
            outcome=old.enrolment.outcome, kind=kind
        ):
            raise CertificateError(
                _("%(trainee)s has not earned the %(kind)s.")
                % {"trainee": old.enrolment.trainee, "kind": KIND_TITLES[kind]}
            )
        old.status = Status.SUPERSEDED
        old.save(update_fields=["status"])
        try:
            new = certificate_create_pending(
                enrolment=old.enrolment,
                kind=kind,
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
        review_close_if_open(
            certificate=old, by=by, decision=Decision.REISSUED, note=new.serial
        )
        certificate_generate_on_commit(certificate_id=new.pk)
        return new
