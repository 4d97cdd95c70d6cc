"""The waitlist: who gets a seat that frees up, and how.

A freed seat goes to the first person on the run's waitlist (first come,
first served). When the course gives time to answer (`waitlist_offer_hours`,
48 by default) the seat is *offered*: held for them until the deadline
(enrolments/rules/offers.py), with accept and decline links in an e-mail and
in My learning. Accepting gives the seat as enrolling would have (confirmed,
or a request for the academy's or the employer's approval); declining or
letting the deadline pass (beat's offers_expire, every few minutes, and any
late accept) cancels the enrolment and offers the seat to the next person.
A course with 0 hours gives the seat at once, without asking.

Every function here locks the run row first, like every seat change
(enrolments/services/seats.py), so an accept arriving as the offer lapses,
two seats freeing at once or a cancel during an open offer end in one
consistent state.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, CourseRun
from enrolments.errors import InvalidTransition, OfferLapsed
from enrolments.models import Enrolment
from enrolments.notifications import (
    NoticeKind,
    employer_request_notify,
    notice_queue,
)
from enrolments.rules.admission import admission_on_seat
from enrolments.rules.offers import offer_deadline, run_starts_at
from enrolments.services.seats import enrolment_locked, seats_free, seats_take

Status = Enrolment.Status


def waitlist_promote(
    *, run: CourseRun, now: dt.datetime | None = None
) -> list[Enrolment]:
    """Offer (or give) the run's free seats to its waitlist, first come first
    served. Called when a seat frees and when an admin raises the capacity.
    Returns the enrolments offered or promoted now."""
    now = now or timezone.now()
    promoted = []
    with transaction.atomic():
        run = CourseRun.objects.select_for_update().get(pk=run.pk)
        free = run.seats_left
        if free <= 0:
            return promoted
        waiting = list(
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("organisation", "course", "trainee__user")
            .filter(run=run, status=Status.WAITLISTED)
            .order_by("created_at", "pk")[:free]
        )
        if not waiting:
            return promoted
        course = CoursePage.objects.get(pk=run.course_id)
        deadline = None
        if course.waitlist_offer_hours:
            deadline = offer_deadline(
                now=now,
                hours=course.waitlist_offer_hours,
                starts_at=run_starts_at(run, run.meetings.all()),
            )
        asks_employer = {}
        for enrolment in waiting:
            enrolment.seat_since = now
            if deadline is not None:
                enrolment.status = Status.OFFERED
                enrolment.offer_expires_at = deadline
                kind = NoticeKind.OFFERED
            else:
                _seat_give(enrolment, course, asks_employer)
                kind = NoticeKind.PROMOTED
            enrolment.save(
                update_fields=[
                    "status",
                    "seat_since",
                    "employer_approval",
                    "offer_expires_at",
                ]
            )
            notice_queue(enrolment=enrolment, kind=kind)
            if enrolment.waits_for_employer:
                employer_request_notify(enrolment=enrolment)
            promoted.append(enrolment)
        seats_take(run.pk, len(promoted))
    return promoted


def offer_accept(*, enrolment: Enrolment, now: dt.datetime | None = None) -> Enrolment:
    """The trainee takes the seat offered to them: confirmed, or a request
    holding the seat when the course needs the academy's or the employer's
    approval. Raises OfferLapsed after the deadline (the seat then goes to the
    next person at once) and InvalidTransition when no offer is open."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = enrolment_locked(enrolment)
        if enrolment.status != Status.OFFERED:
            raise InvalidTransition(_("This offer is no longer open."))
        if now < enrolment.offer_expires_at:
            _seat_give(enrolment, enrolment.course, {})
            enrolment.save(update_fields=["status", "employer_approval"])
            if enrolment.status == Status.CONFIRMED:
                notice_queue(enrolment=enrolment, kind=NoticeKind.CONFIRMED)
            else:
                notice_queue(enrolment=enrolment, kind=NoticeKind.REQUESTED)
            if enrolment.waits_for_employer:
                employer_request_notify(enrolment=enrolment)
            return enrolment
        # Too late: the lapse is committed, then the trainee is told.
        _lapse(enrolment, now)
    raise OfferLapsed()


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Cancel the offers whose deadline has passed and offer each seat to the
    next person (beat, every few minutes). Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    run_ids = (
        Enrolment.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .order_by()
        .values_list("run_id", flat=True)
        .distinct()
    )
    for run_id in list(run_ids):
        with transaction.atomic():
            CourseRun.objects.select_for_update().filter(pk=run_id).first()
            due = (
                Enrolment.objects.select_for_update(of=("self",))
                .select_related("run", "course", "trainee")
                .filter(run_id=run_id, status=Status.OFFERED, offer_expires_at__lte=now)
                .order_by("offer_expires_at", "pk")
            )
            for enrolment in list(due):
                _lapse(enrolment, now)
                lapsed += 1
    return lapsed


def _lapse(enrolment: Enrolment, now: dt.datetime) -> None:
    """The offer ran out: the enrolment ends, the trainee is told, and the seat
    is offered to the next person. The run row is locked by the caller."""
    enrolment.status = Status.CANCELLED
    enrolment.cancelled_at = now
    enrolment.save(update_fields=["status", "cancelled_at"])
    notice_queue(enrolment=enrolment, kind=NoticeKind.OFFER_EXPIRED)
    seats_free(enrolment.run_id)
    waitlist_promote(run=enrolment.run, now=now)


def _seat_give(enrolment: Enrolment, course: CoursePage, asks_employer: dict) -> None:
    admission = admission_on_seat(
        course=course, enrolment=enrolment, asks_employer=asks_employer
    )
    enrolment.status = admission.status
    enrolment.employer_approval = admission.employer_approval
