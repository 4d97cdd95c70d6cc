"""Issuing certificates: choosing the template and the serial, requesting one
certificate (refusing what was not earned), and issuing a run's in bulk.

A certificate is requested in the web process (a row with its snapshots and a
serial, status "pending"); generating its PDF is dispatched after commit
(rendering.certificate_generate, in the worker).
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from certificates import audit
from certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateTemplate,
    Kind,
    SerialSequence,
)
from certificates.selectors import (
    KIND_FOR_OUTCOME,
    NOT_ELIGIBLE_STATUSES,
    certificate_current,
    enrolments_eligible,
)
from certificates.services.dispatch import certificate_generate_on_commit
from certificates.services.errors import CertificateError
from courses.locales import title_in
from courses.models import CourseRun
from courses.selectors import run_facts
from enrolments.models import Enrolment
from enrolments.services.evaluations import evaluation_holds_certificate

logger = logging.getLogger(__name__)


# --- Choosing and numbering --------------------------------------------------


def _language_distance(wanted: str, offered: str) -> int:
    """0 for the trainee's language, 1 for the other script of it (Serbian
    Cyrillic for Serbian Latin), 2 for any other language."""
    if offered == wanted:
        return 0
    if offered.split("-")[0] == wanted.split("-")[0]:
        return 1
    return 2


def templates_in_use(*, kind: str) -> list[CertificateTemplate]:
    """The templates certificates of `kind` may be printed on: the active ones
    (only a template with the built-in design or a checked upload can be
    active), and the ones the admin asked to activate whose new background is
    being checked: they stand in with the built-in design where no active
    template fits, since a check in progress must not stop issuing
    (services/templates.py). A refused upload is never among them."""
    awaiting = Q(
        activate_when_valid=True,
        background_status=CertificateTemplate.BackgroundStatus.CHECKING,
    )
    return list(
        CertificateTemplate.objects.filter(kind=kind).filter(
            Q(is_active=True) | awaiting
        )
    )


def template_pick(
    candidates: list[CertificateTemplate], *, kind: str, is_member: bool, language: str
) -> CertificateTemplate:
    """The candidate for an audience and language. A template in the trainee's
    language wins (a certificate they can read matters more than member
    wording), then an active one over one awaiting its check, then an exact
    audience over "any", then the oldest. Raises CertificateError when none
    fits."""
    audience = (
        CertificateTemplate.Audience.MEMBER
        if is_member
        else CertificateTemplate.Audience.NON_MEMBER
    )
    fitting = [
        template
        for template in candidates
        if template.kind == kind
        and template.audience in (audience, CertificateTemplate.Audience.ANY)
    ]
    if not fitting:
        raise CertificateError(
            f"No active {Kind(kind).label.lower()} certificate template for "
            f"{'members' if is_member else 'non-members'}; add one in "
            "Certificates > Templates."
        )
    return min(
        fitting,
        key=lambda template: (
            _language_distance(language, template.language),
            not template.is_active,
            template.audience != audience,
            template.pk,
        ),
    )


def template_for(*, kind: str, is_member: bool, language: str) -> CertificateTemplate:
    """The template a certificate of `kind` is printed on for a trainee: see
    templates_in_use and template_pick. Raises CertificateError when the
    academy has none."""
    return template_pick(
        templates_in_use(kind=kind), kind=kind, is_member=is_member, language=language
    )


def template_refuse_unusable(*, template: CertificateTemplate, kind: str) -> None:
    """Raise CertificateError unless `template` is an active one of `kind`,
    as read now (the admin chose it on a page that may be out of date)."""
    usable = CertificateTemplate.objects.filter(
        pk=template.pk, kind=kind, is_active=True
    ).exists()
    if not usable:
        raise CertificateError(
            f"The template “{template}” is no longer an active "
            f"{Kind(kind).label.lower()} template; choose another."
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


def refuse_erased(enrolment: Enrolment) -> None:
    """Raise CertificateError when the enrolment's trainee was erased."""
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


def _refuse_before_evaluation(enrolment: Enrolment) -> None:
    # The course asks for the evaluation first (CoursePage.evaluation_required):
    # answering it requests the certificate (certificate_after_evaluation).
    if evaluation_holds_certificate(enrolment):
        raise CertificateError(
            f"{enrolment.trainee} has not answered the course evaluation yet; "
            "this course issues the certificate once they have."
        )


def certificate_request(
    *,
    enrolment: Enrolment,
    kind: str,
    by=None,
    batch: CertificateBatch | None = None,
    full_name: str | None = None,
    template: CertificateTemplate | None = None,
) -> Certificate:
    """Ask for the certificate of `kind` for `enrolment`: returns the current
    one if it exists (a repeat is a no-op), else a new pending certificate
    whose generation is dispatched after commit, on `template` when given
    (an admin's choice in bulk issue), else on template_for's. The enrolment
    is re-read under a row lock, so the outcome checked is the committed one
    and two requests at once make one certificate."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("trainee", "course", "run")
            .get(pk=enrolment.pk)
        )
        _refuse_unearned(enrolment, kind)
        current = certificate_current(enrolment_id=enrolment.pk, kind=kind)
        if current:
            return current
        refuse_erased(enrolment)
        _refuse_before_evaluation(enrolment)
        try:
            certificate = certificate_create_pending(
                enrolment=enrolment,
                kind=kind,
                by=by,
                batch=batch,
                full_name=full_name,
                template=template,
            )
        except IntegrityError:
            # A concurrent request won where row locks are not enforced
            # (SQLite): the unique constraint kept one, which is the answer.
            current = certificate_current(enrolment_id=enrolment.pk, kind=kind)
            if current is None:
                raise
            return current
        audit.log_certificate_issued(certificate=certificate, by=by)
        certificate_generate_on_commit(certificate_id=certificate.pk)
        return certificate


def certificate_create_pending(
    *,
    enrolment: Enrolment,
    kind: str,
    by,
    batch: CertificateBatch | None,
    full_name: str | None = None,
    template: CertificateTemplate | None = None,
) -> Certificate:
    """Insert a pending certificate with its snapshots and a fresh serial.
    Lets IntegrityError through (in a savepoint, so the caller's transaction
    stays usable) when the enrolment already has a current one of the kind.
    Callers check eligibility and dispatch the generation."""
    trainee = enrolment.trainee
    course = enrolment.course
    if template is None:
        template = template_for(
            kind=kind,
            is_member=enrolment.is_member,
            language=trainee.preferred_language,
        )
    elif template.kind != kind:
        raise CertificateError(
            f"“{template}” is a template for {template.get_kind_display().lower()} "
            "certificates."
        )
    if enrolment.run:
        # The run's facts as recorded when it started: a course edited since
        # does not change what a past run's certificates say.
        facts = run_facts(enrolment.run)
        course_title, hours = facts.title_in(template.language), facts.hours
    else:
        # Self-paced: no run to keep them, so the course as it is today.
        course_title = title_in(course, template.language)
        hours = course.duration_hours
    with transaction.atomic():
        return Certificate.objects.create(
            enrolment=enrolment,
            kind=kind,
            template=template,
            batch=batch,
            serial=serial_next(year=timezone.localdate().year),
            full_name=full_name or trainee.full_name,
            course_title=course_title,
            hours=hours,
            starts_on=enrolment.run.starts_on if enrolment.run else None,
            ends_on=enrolment.run.ends_on if enrolment.run else None,
            is_member=enrolment.is_member,
            language=template.language,
            issued_by=by,
        )


def revoked_by_admin(*, enrolment_id: int, kind: str) -> bool:
    """Whether an admin revoked this enrolment's certificate of `kind`: the
    automatic paths (auto-issue, closing) then leave it to an admin to issue
    again, so a revocation is never undone behind their back."""
    return Certificate.objects.filter(
        enrolment_id=enrolment_id, kind=kind, status=Certificate.Status.REVOKED
    ).exists()


def certificate_auto_issue(*, enrolment_id: int, outcome: str) -> Certificate | None:
    """Request the certificate an enrolment's new `outcome` earns, when its
    course issues automatically."""
    kind = KIND_FOR_OUTCOME.get(outcome)
    if kind is None:
        return None
    enrolment = (
        Enrolment.objects.select_related("course", "trainee")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not enrolment.course.auto_issue_certificates:
        return None
    return _request_unless_revoked(enrolment, kind)


def _request_unless_revoked(enrolment: Enrolment, kind: str) -> Certificate | None:
    """The automatic paths' request: never one an admin revoked, and a
    refusal (no template yet, say) logged, not raised: the admin issues by
    hand later."""
    if revoked_by_admin(enrolment_id=enrolment.pk, kind=kind):
        return None
    try:
        return certificate_request(enrolment=enrolment, kind=kind)
    except CertificateError as error:
        logger.warning(
            "Certificate for enrolment %s not requested: %s", enrolment.pk, error
        )
        return None


def certificate_after_evaluation(*, enrolment_id: int) -> Certificate | None:
    """Request the certificate an enrolment's outcome earns, now that its
    trainee answered the evaluation their course asks first: when the course
    issues automatically, or the run has closed (the close held it back)."""
    enrolment = (
        Enrolment.objects.select_related("course", "trainee")
        .filter(pk=enrolment_id)
        .first()
    )
    kind = KIND_FOR_OUTCOME.get(enrolment.outcome) if enrolment else None
    if kind is None or not enrolment.course.evaluation_required:
        return None
    finished = enrolment.status in (
        Enrolment.Status.COMPLETED,
        Enrolment.Status.NOT_COMPLETED,
    )
    if not (finished or enrolment.course.auto_issue_certificates):
        return None
    return _request_unless_revoked(enrolment, kind)


def certificates_request_at_close(*, run_id: int, by=None) -> list[Certificate]:
    """Request, for every enrolment of a run just closed, the certificate its
    final outcome grants, whether or not the course issues automatically: the
    close is when the academy issues. Idempotent: a current certificate is
    returned, not requested again; one an admin revoked is not requested. A
    refusal (no template, an erased trainee) is logged and skipped, so it
    never undoes the close; the admin issues later from the run's issue
    page."""
    enrolments = (
        Enrolment.objects.filter(
            run_id=run_id,
            status__in=(Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED),
            outcome__in=list(KIND_FOR_OUTCOME),
        )
        .select_related("trainee", "course", "run")
        .order_by("pk")
    )
    requested = []
    for enrolment in enrolments:
        kind = KIND_FOR_OUTCOME[enrolment.outcome]
        if revoked_by_admin(enrolment_id=enrolment.pk, kind=kind):
            continue
        try:
            requested.append(certificate_request(enrolment=enrolment, kind=kind, by=by))
        except CertificateError as error:
            logger.warning(
                "Certificate for enrolment %s not requested at close: %s",
                enrolment.pk,
                error,
            )
    return requested


# --- Bulk ---------------------------------------------------------------------


def certificates_issue_for_run(
    *,
    run: CourseRun,
    by,
    enrolment_ids: list[int] | None = None,
    templates: dict[str, CertificateTemplate] | None = None,
) -> tuple[CertificateBatch, list[str]]:
    """Issue the certificates trainees of `run` have earned: the ones picked,
    or all eligible; each kind on the template chosen for it in `templates`
    (kind -> template), or each trainee's own (template_for) where none is.
    Returns the batch (its certificates report progress) and, one line per
    trainee, the reasons some could not be requested. Raises CertificateError,
    issuing nothing, when a chosen template is no longer active."""
    templates = templates or {}
    for kind, template in templates.items():
        template_refuse_unusable(template=template, kind=kind)
    if enrolment_ids is None:
        enrolments = enrolments_eligible(run=run)
    else:
        # Picked by hand: each picked trainee who earned nothing is reported.
        enrolments = Enrolment.objects.filter(run=run, pk__in=enrolment_ids)
    enrolments = enrolments.select_related("trainee").order_by(
        "trainee__full_name", "pk"
    )
    problems = []
    with transaction.atomic():
        batch = CertificateBatch.objects.create(run=run, requested_by=by)
        for enrolment in enrolments:
            kind = KIND_FOR_OUTCOME.get(enrolment.outcome, Kind.ATTENDANCE)
            try:
                certificate = certificate_request(
                    enrolment=enrolment,
                    kind=kind,
                    by=by,
                    batch=batch,
                    template=templates.get(kind),
                )
            except CertificateError as error:
                reason = error.message
                if str(enrolment.trainee) not in reason:
                    reason = f"{enrolment.trainee}: {reason}"
                problems.append(reason)
                continue
            if certificate.batch_id != batch.pk and certificate.status in (
                Certificate.Status.PENDING,
                Certificate.Status.FAILED,
            ):
                # Requested earlier and not made yet: this batch watches it.
                # One issued before stays out, so the batch counts what it
                # made (the summary before the start lists who had one).
                Certificate.objects.filter(pk=certificate.pk).update(batch=batch)
    return batch, problems
