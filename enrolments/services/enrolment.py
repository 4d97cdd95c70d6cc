"""Enrolling, cancelling, approving and rejecting, and the waitlist.

Seats: pending, confirmed and offered enrolments hold a seat, counted in
`CourseRun.seats_taken`. Every change that can take or free a seat locks the
run row first (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers),
so the last seat goes to exactly one trainee; the database also refuses
`seats_taken > capacity` and a second active enrolment of one trainee.
"""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, CourseRun
from enrolments import audit
from enrolments.access import cancellation_refusal
from enrolments.errors import (
    AlreadyEnrolled,
    CourseNotAvailable,
    EnrolmentClosed,
    InvalidTransition,
)
from enrolments.models import Enrolment, TraineeProfile
from enrolments.models.enrolment import ACTIVE_STATUSES
from enrolments.notifications import (
    NoticeKind,
    employer_request_notify,
    notice_queue,
)
from enrolments.rules.admission import admission_for
from enrolments.rules.membership import standing_of
from enrolments.services.seats import enrolment_locked, seats_free, seats_take
from enrolments.services.waitlist import waitlist_promote

Status = Enrolment.Status
Kind = NoticeKind
EmployerApproval = Enrolment.EmployerApproval


def enrolment_create(
    *,
    trainee: TraineeProfile,
    run: CourseRun | None = None,
    course: CoursePage | None = None,
    on: dt.date | None = None,
    by_employer: bool = False,
) -> Enrolment:
    """Enrol `trainee` in `run`, or in a self-paced `course` (no run).
    `by_employer`: their organisation's coordinator enrols them, which is the
    employer's approval given.

    Confirmed at once for open courses; pending for courses that need the
    academy's approval, or the employer's (the trainee's organisation's
    coordinator decides first); waitlisted when the run is full. Snapshots
    member status and price as enrolments/rules/membership.py decides them
    (confirmed staff only).
    Raises EnrolmentClosed, AlreadyEnrolled or CourseNotAvailable.
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        # Lock order everywhere: trainee, then run. The trainee lock makes a
        # double-click (two requests of one trainee) wait for the first.
        trainee = TraineeProfile.objects.select_for_update().get(pk=trainee.pk)
        if run is not None:
            run = CourseRun.objects.select_for_update().get(pk=run.pk)
            course = CoursePage.objects.get(pk=run.course_id)
        if course is None or not course.live:
            raise CourseNotAvailable()
        if run is None and not course.is_self_paced:
            raise CourseNotAvailable(_("Choose one of the course's runs to enrol."))
        if run is not None and not run.is_open_for_enrolment(on):
            raise EnrolmentClosed()

        existing = Enrolment.objects.filter(
            trainee=trainee, course=course, run=run, status__in=ACTIVE_STATUSES
        ).first()
        if existing:
            raise AlreadyEnrolled(
                _("You are already enrolled (%(status)s).")
                % {"status": existing.get_status_display().lower()}
            )

        standing = standing_of(trainee, on)
        admission = admission_for(
            course=course, run=run, standing=standing, by_employer=by_employer
        )
        status = admission.status
        kind = {
            Status.WAITLISTED: Kind.WAITLISTED,
            Status.PENDING: Kind.REQUESTED,
            Status.CONFIRMED: Kind.CONFIRMED,
        }[status]

        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    trainee=trainee,
                    course=course,
                    run=run,
                    status=status,
                    is_member=standing.member_price,
                    organisation=standing.staff_of,
                    price=standing.price(course),
                    seat_since=None if status == Status.WAITLISTED else timezone.now(),
                    employer_approval=admission.employer_approval,
                )
        except IntegrityError as error:
            raise AlreadyEnrolled() from error
        if run is not None and enrolment.holds_seat:
            seats_take(run.pk)
        _notify(enrolment, kind)
        if enrolment.waits_for_employer:
            employer_request_notify(enrolment=enrolment)
        return enrolment


def enrolment_create_by_academy(
    *,
    trainee: TraineeProfile,
    run: CourseRun,
    by,
    price: Decimal | None = None,
    reason: str = "",
) -> Enrolment:
    """An academy admin enrols `trainee` in `run` by hand: the seat rules and
    the course's approval apply as to anyone. A `price` other than the one the
    rules give needs a `reason`; both go to the audit log."""
    reason = (reason or "").strip()
    if price is not None and price < 0:
        raise InvalidTransition(_("A price cannot be negative."))
    if price is not None and not reason:
        raise InvalidTransition(_("Say why the price differs from the course's."))
    with transaction.atomic():
        enrolment = enrolment_create(trainee=trainee, run=run)
        audit.log_enrolled_by_academy(enrolment=enrolment, by=by)
        if price is not None and price != enrolment.price:
            _price_set(enrolment, price=price, by=by, reason=reason)
        return enrolment


def enrolment_reprice(*, enrolment: Enrolment, by, reason: str) -> Enrolment:
    """Apply the trainee's membership as it stands today to an active
    enrolment made before it changed (a claim confirmed after they enrolled):
    the member price and the organisation follow the rules of
    enrolments/rules/membership.py. Audited with the admin's reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition(_("Say why the price changes."))
    with transaction.atomic():
        enrolment = enrolment_locked(enrolment)
        if enrolment.status not in ACTIVE_STATUSES:
            raise InvalidTransition(
                _("Only a pending, waitlisted or confirmed enrolment can change price.")
            )
        standing = standing_of(enrolment.trainee)
        course = CoursePage.objects.get(pk=enrolment.course_id)
        enrolment.is_member = standing.member_price
        enrolment.organisation = standing.staff_of
        enrolment.save(update_fields=["is_member", "organisation"])
        _price_set(enrolment, price=standing.price(course), by=by, reason=reason)
        return enrolment


def _price_set(enrolment: Enrolment, *, price: Decimal, by, reason: str) -> None:
    old = enrolment.price
    enrolment.price = price
    enrolment.save(update_fields=["price"])
    audit.log_price_changed(enrolment=enrolment, by=by, old=old, reason=reason)


def enrolment_cancel(
    *,
    enrolment: Enrolment,
    by_staff: bool = False,
    on: dt.date | None = None,
    by=None,
) -> Enrolment:
    """Cancel an active enrolment. Trainees may cancel until the course's
    deadline, and decline a seat offered to them at any time; staff cancel at
    any time (a staff cancellation goes to the audit log with `by`, the staff
    user). A freed seat goes to the waitlist."""
    on = on or timezone.localdate()
    with transaction.atomic():
        enrolment = enrolment_locked(enrolment)
        refusal = cancellation_refusal(enrolment=enrolment, by_staff=by_staff, on=on)
        if refusal is not None:
            raise refusal
        freed = enrolment.holds_seat
        declined = enrolment.is_offered and not by_staff
        enrolment.status = Status.CANCELLED
        enrolment.cancelled_at = timezone.now()
        if enrolment.waits_for_employer:
            enrolment.employer_approval = EmployerApproval.NOT_ASKED
        enrolment.save(update_fields=["status", "cancelled_at", "employer_approval"])
        if by_staff:
            audit.log_enrolment_cancelled(enrolment=enrolment, by=by)
        _notify(enrolment, Kind.OFFER_DECLINED if declined else Kind.CANCELLED)
        if freed and enrolment.run_id:
            seats_free(enrolment.run_id)
            waitlist_promote(run=enrolment.run)
        return enrolment


def offer_decline(*, enrolment: Enrolment) -> Enrolment:
    """The trainee declines the seat offered to them from the waitlist
    (enrolments/services/waitlist.py): their enrolment is cancelled and the
    seat offered to the next person. Raises InvalidTransition when the offer
    is no longer open, so a decline clicked as an accept lands never cancels
    the place just confirmed."""
    with transaction.atomic():
        if enrolment_locked(enrolment).status != Status.OFFERED:
            raise InvalidTransition(_("This offer is no longer open."))
        return enrolment_cancel(enrolment=enrolment)


def enrolment_approve(*, enrolment: Enrolment, by) -> Enrolment:
    """The academy approves a pending request: it already holds its seat. An
    academy admin may decide before the employer does; the audit log says who
    approved."""
    with transaction.atomic():
        enrolment = enrolment_locked(enrolment)
        if enrolment.status != Status.PENDING:
            raise InvalidTransition(_("Only a pending request can be approved."))
        if enrolment.waits_for_employer:
            enrolment.employer_approval = EmployerApproval.NOT_ASKED
        _confirm(enrolment, by=by)
        audit.log_enrolment_approved(enrolment=enrolment, by=by)
        _notify(enrolment, Kind.APPROVED)
        return enrolment


def enrolment_employer_approve(*, enrolment: Enrolment, by) -> Enrolment:
    """The trainee's organisation's coordinator (`by`; the view finds the
    enrolment through enrolments/access.py) approves a request waiting for the
    employer. It is confirmed, unless the course also needs the academy's
    approval: then it waits for the academy, and the trainee is told so."""
    with transaction.atomic():
        enrolment = enrolment_locked(enrolment)
        if not (enrolment.status == Status.PENDING and enrolment.waits_for_employer):
            raise InvalidTransition(
                _("This request no longer waits for the employer's decision.")
            )
        enrolment.employer_approval = EmployerApproval.APPROVED
        audit.log_employer_approved(enrolment=enrolment, by=by)
        if enrolment.course.enrolment_policy == CoursePage.EnrolmentPolicy.APPROVAL:
            enrolment.save(update_fields=["employer_approval"])
            _notify(enrolment, Kind.EMPLOYER_APPROVED)
        else:
            _confirm(enrolment, by=by)
            _notify(enrolment, Kind.APPROVED)
        return enrolment


def enrolment_reject(*, enrolment: Enrolment, by, reason: str) -> Enrolment:
    """The academy rejects a pending or waitlisted request with a reason the
    trainee reads."""
    return _reject(enrolment, by=by, reason=reason, employer=False)


def enrolment_employer_refuse(*, enrolment: Enrolment, by, reason: str) -> Enrolment:
    """The trainee's organisation's coordinator refuses a request waiting for
    the employer, with a reason the trainee reads; the seat goes to the
    waitlist."""
    return _reject(enrolment, by=by, reason=reason, employer=True)


def _reject(enrolment: Enrolment, *, by, reason: str, employer: bool) -> Enrolment:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition(_("Give the trainee a reason for the rejection."))
    with transaction.atomic():
        enrolment = enrolment_locked(enrolment)
        if employer and not (
            enrolment.status == Status.PENDING and enrolment.waits_for_employer
        ):
            raise InvalidTransition(
                _("This request no longer waits for the employer's decision.")
            )
        if enrolment.status not in (Status.PENDING, Status.WAITLISTED):
            raise InvalidTransition(
                _("Only a pending or waitlisted request can be rejected.")
            )
        freed = enrolment.holds_seat
        enrolment.status = Status.REJECTED
        enrolment.rejection_reason = reason
        enrolment.decided_at, enrolment.decided_by = timezone.now(), by
        if employer:
            enrolment.employer_approval = EmployerApproval.REFUSED
            audit.log_employer_refused(enrolment=enrolment, by=by, reason=reason)
        else:
            if enrolment.waits_for_employer:
                enrolment.employer_approval = EmployerApproval.NOT_ASKED
            audit.log_enrolment_rejected(enrolment=enrolment, by=by, reason=reason)
        enrolment.save(
            update_fields=[
                "status",
                "rejection_reason",
                "decided_at",
                "decided_by",
                "employer_approval",
            ]
        )
        _notify(enrolment, Kind.REJECTED)
        if freed and enrolment.run_id:
            seats_free(enrolment.run_id)
            waitlist_promote(run=enrolment.run)
        return enrolment


def _confirm(enrolment: Enrolment, *, by) -> None:
    enrolment.status = Status.CONFIRMED
    enrolment.decided_at, enrolment.decided_by = timezone.now(), by
    enrolment.save(
        update_fields=["status", "decided_at", "decided_by", "employer_approval"]
    )


def _notify(enrolment: Enrolment, kind: str) -> None:
    notice_queue(enrolment=enrolment, kind=kind)
