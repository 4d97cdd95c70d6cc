"""Certificates follow the record: a certificate whose basis changes after
issue is flagged for review, and an academy admin decides.

- The receivers (certificates/receivers.py) call `certificates_review_outcome`
  when an enrolment's outcome changes and `certificates_review_name` when a
  trainee's name is corrected; a reopened run is flagged by
  `certificates_flag_run_reopened`.
- Pending certificates are flagged as well as issued ones: the worker is about
  to issue them with the old basis, and the flag stays with them.
- Nothing is revoked or reissued here. The verification page keeps saying
  "valid" until the admin reissues (lifecycle.certificate_reissue), revokes
  (lifecycle.certificate_revoke) or keeps it (`certificate_review_close`);
  reissue and revoke close the review in their own transaction.
- When the record goes back to what the certificate says (the register mistake
  is undone, the name corrected back) while the review is open, the review
  closes by itself as "record restored": nothing about the certificate was
  ever wrong, and a queue of flags nobody needs to act on teaches admins to
  ignore it. It closes only when every reason can be checked again by rule; a
  reopened run, or a rise that leaves another reason standing, is noted in
  the review and left to the admin.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import audit, review_reasons
from certificates.models import Certificate, CertificateReview
from certificates.selectors import kind_earned, review_open
from certificates.services.errors import CertificateError
from enrolments.models import Enrolment
from enrolments.rules.attendance import attendance_summaries
from enrolments.rules.completion import standings

Status = Certificate.Status
Decision = CertificateReview.Decision
# The certificates a changed basis concerns: issued, or about to be.
FLAGGED_STATUSES = (Status.PENDING, Status.ISSUED)


# --- Flagging -----------------------------------------------------------------


def certificate_flag_for_review(
    *,
    certificates: Iterable[Certificate] | None = None,
    enrolment_id: int | None = None,
    reason: dict,
) -> list[CertificateReview]:
    """Flag the given certificates (or every pending or issued one of an
    enrolment) for review with `reason` (built by certificates/
    review_reasons.py). A certificate with an open review gets the reason
    added to it; a reason it already holds adds nothing, so a repeated event
    is a no-op. Revoked, superseded and failed certificates are skipped.
    Returns the open reviews."""
    if (certificates is None) == (enrolment_id is None):
        raise ValueError("Give either certificates or enrolment_id.")
    with transaction.atomic():
        rows = Certificate.objects.select_for_update().filter(
            status__in=FLAGGED_STATUSES
        )
        if enrolment_id is not None:
            rows = rows.filter(enrolment_id=enrolment_id)
        else:
            rows = rows.filter(pk__in=[c.pk for c in certificates])
        now = timezone.now()
        return [_flag(certificate, reason, now) for certificate in rows.order_by("pk")]


def _flag(certificate: Certificate, reason: dict, now) -> CertificateReview:
    review = review_open(certificate=certificate)
    if review is None:
        try:
            with transaction.atomic():
                review = CertificateReview.objects.create(
                    certificate=certificate,
                    reasons=[{**reason, "at": now.isoformat()}],
                    opened_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            # Opened by a concurrent flag where row locks are not enforced
            # (SQLite): the constraint kept one open review; add to it.
            review = review_open(certificate=certificate)
        else:
            audit.log_certificate_flagged(certificate=certificate, reason=reason)
            return review
    _note(review, certificate, reason, now)
    return review


def _note(review: CertificateReview, certificate, reason: dict, now) -> None:
    if any(review_reasons.same_reason(noted, reason) for noted in review.reasons):
        return
    review.reasons = [*review.reasons, {**reason, "at": now.isoformat()}]
    review.updated_at = now
    review.save(update_fields=["reasons", "updated_at"])
    audit.log_certificate_flagged(certificate=certificate, reason=reason)


# --- Closing ------------------------------------------------------------------


def certificate_review_close(
    *, certificate: Certificate, by, decision: str, note: str = ""
) -> CertificateReview:
    """Close the certificate's open review with the admin's decision. "Kept"
    (the certificate stands as issued) needs a note saying why; reissuing and
    revoking close it through the lifecycle services, which call
    `review_close_if_open` in their own transaction."""
    note = (note or "").strip()
    if decision not in Decision.values or decision == Decision.RESTORED:
        raise CertificateError(_("Choose reissue, revoke or keep."))
    if decision == Decision.KEPT and not note:
        raise CertificateError(_("Say why the certificate stands as issued."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        review = review_close_if_open(
            certificate=certificate, by=by, decision=decision, note=note
        )
        if review is None:
            raise CertificateError(_("This certificate has no open review."))
        return review


def review_close_if_open(
    *, certificate: Certificate, by, decision: str, note: str = ""
) -> CertificateReview | None:
    """Close the open review, if any, inside the caller's transaction (which
    holds the certificate's row lock)."""
    review = review_open(certificate=certificate)
    if review is None:
        return None
    review.closed_at, review.closed_by = timezone.now(), by
    review.decision, review.note = decision, note
    review.save(update_fields=["closed_at", "closed_by", "decision", "note"])
    audit.log_certificate_review_closed(certificate=certificate, review=review, by=by)
    return review


def _restore_or_note(certificates: list[Certificate], reason: dict) -> None:
    """After a change back towards what `certificates` say: close each open
    review as "record restored" when its every reason is checkable and the
    record now matches the certificate; otherwise note `reason` in it."""
    with transaction.atomic():
        rows = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__trainee")
            .filter(pk__in=[c.pk for c in certificates], status__in=FLAGGED_STATUSES)
            .order_by("pk")
        )
        now = timezone.now()
        for certificate in rows:
            review = review_open(certificate=certificate)
            if review is None:
                continue
            codes = {noted.get("code") for noted in review.reasons}
            if codes <= review_reasons.CHECKABLE and basis_holds(certificate):
                review_close_if_open(
                    certificate=certificate, by=None, decision=Decision.RESTORED
                )
            else:
                _note(review, certificate, reason, now)


def basis_holds(certificate: Certificate) -> bool:
    """Whether the record says again what the certificate says: the outcome
    earns its kind and the trainee's name is the printed one."""
    enrolment = certificate.enrolment
    return (
        kind_earned(outcome=enrolment.outcome, kind=certificate.kind)
        and certificate.full_name == enrolment.trainee.full_name
    )


# --- What the receivers call ----------------------------------------------------


def certificates_review_outcome(
    *, enrolment_id: int, old: str, new: str
) -> list[CertificateReview]:
    """An enrolment's outcome changed from `old` to `new` (sent after commit).
    Its certificates whose kind the outcome no longer earns are flagged, with
    the attendance and assessments behind the change; those it earns again
    have their open review closed as restored (or the rise noted). The
    outcome is read again, so a late announcement cannot flag on a stale
    value."""
    enrolment = (
        Enrolment.objects.select_related("course", "trainee")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        return []
    certificates = list(
        Certificate.objects.filter(enrolment=enrolment, status__in=FLAGGED_STATUSES)
    )
    outcome = enrolment.outcome
    falling = [c for c in certificates if not kind_earned(outcome=outcome, kind=c.kind)]
    rising = [c for c in certificates if kind_earned(outcome=outcome, kind=c.kind)]
    reviews = []
    if falling:
        reason = review_reasons.outcome_dropped(
            old=old,
            new=outcome,
            attendance=attendance_summaries([enrolment]).get(enrolment.pk),
            standing=standings([enrolment]).get(enrolment.pk),
        )
        reviews = certificate_flag_for_review(certificates=falling, reason=reason)
    if rising and old != outcome:
        _restore_or_note(rising, review_reasons.outcome_restored(old=old, new=outcome))
    return reviews


def certificates_review_name(
    *, trainee_id: int, old: str, new: str
) -> list[CertificateReview]:
    """A trainee's name was corrected from `old` to `new` (sent after commit):
    their certificates that print another name are flagged; those that print
    the new one have their open review closed as restored (or noted)."""
    certificates = list(
        Certificate.objects.filter(
            enrolment__trainee_id=trainee_id, status__in=FLAGGED_STATUSES
        )
    )
    by_printed = defaultdict(list)
    for certificate in certificates:
        by_printed[certificate.full_name].append(certificate)
    reviews = []
    for printed, group in by_printed.items():
        if printed == new:
            _restore_or_note(
                group, review_reasons.name_changed(printed=printed, new=new)
            )
        else:
            reviews += certificate_flag_for_review(
                certificates=group,
                reason=review_reasons.name_changed(printed=printed, new=new),
            )
    return reviews


def certificates_flag_run_reopened(
    *, run_id: int, reason: str
) -> list[CertificateReview]:
    """Flag every pending or issued certificate of a run that was reopened
    after closing; `reason` is the note the run's reopening gave."""
    certificates = list(
        Certificate.objects.filter(
            enrolment__run_id=run_id, status__in=FLAGGED_STATUSES
        ).only("pk")
    )
    if not certificates:
        return []
    return certificate_flag_for_review(
        certificates=certificates,
        reason=review_reasons.run_reopened(note=(reason or "").strip()),
    )
