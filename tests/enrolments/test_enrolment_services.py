"""Enrolment rules: window, capacity, waitlist, approval, cancellation, and the
e-mails that go with them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from academy_site.outbox.models import OutboundEmail
from academy_site.outbox.services import email_send
from courses.models import CoursePage, CourseRun
from enrolments.errors import (
    AlreadyEnrolled,
    CancellationTooLate,
    CourseNotAvailable,
    EnrolmentClosed,
    InvalidTransition,
)
from enrolments.models import Enrolment
from enrolments.services import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_reject,
    waitlist_promote,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue,
        price_member=Decimal("18000"),
        price_non_member=Decimal("30000"),
    )


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, capacity=2)


def trainee(**kwargs):
    return TraineeProfileFactory(**kwargs)


def seats_taken(run) -> int:
    return CourseRun.objects.get(pk=run.pk).seats_taken


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the e-mail tasks) and return the outbox."""

    class Outbox:
        def __call__(self, action, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return action(*args, **kwargs)

        @property
        def subjects(self):
            return [message.subject for message in mailoutbox]

    return Outbox()


def test_open_course_confirms_at_once_and_takes_a_seat(run, sent):
    enrolment = sent(enrolment_create, trainee=trainee(), run=run)
    assert enrolment.status == Status.CONFIRMED
    assert seats_taken(run) == 1
    assert sent.subjects == [f"Your place is confirmed: {run.course.title}"]


def test_member_snapshot_and_price_are_taken_when_enrolling(run):
    member_org = OrganisationFactory()
    period = MembershipPeriodFactory(organisation=member_org)
    member = trainee(organisation=member_org)
    outsider = trainee(organisation=OrganisationFactory())

    as_member = enrolment_create(trainee=member, run=run)
    as_outsider = enrolment_create(trainee=outsider, run=run)

    assert (as_member.is_member, as_member.price) == (True, Decimal("18000"))
    assert (as_outsider.is_member, as_outsider.price) == (False, Decimal("30000"))
    # Membership ending later does not change what was agreed.
    period.ends_on = today() - dt.timedelta(days=1)
    period.save()
    as_member.refresh_from_db()
    assert as_member.is_member and as_member.price == Decimal("18000")


def test_full_run_puts_trainee_on_waitlist(run, sent):
    enrolment_create(trainee=trainee(), run=run)
    enrolment_create(trainee=trainee(), run=run)
    third = sent(enrolment_create, trainee=trainee(), run=run)
    assert third.status == Status.WAITLISTED
    assert seats_taken(run) == 2
    assert sent.subjects[-1].startswith("You are on the waitlist")


def test_cancellation_offers_the_seat_to_the_first_on_the_waitlist(run, sent):
    first = enrolment_create(trainee=trainee(), run=run)
    enrolment_create(trainee=trainee(), run=run)
    waiting_1 = enrolment_create(trainee=trainee(), run=run)
    waiting_2 = enrolment_create(trainee=trainee(), run=run)

    sent(enrolment_cancel, enrolment=first)

    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.status == Status.OFFERED
    assert waiting_2.status == Status.WAITLISTED
    assert seats_taken(run) == 2
    assert any(s.startswith("A seat is yours if you want it") for s in sent.subjects)


def test_a_course_without_offer_time_gives_the_seat_at_once(run, sent):
    run.course.waitlist_offer_hours = 0
    run.course.save()
    first = enrolment_create(trainee=trainee(), run=run)
    enrolment_create(trainee=trainee(), run=run)
    waiting_1 = enrolment_create(trainee=trainee(), run=run)
    waiting_2 = enrolment_create(trainee=trainee(), run=run)

    sent(enrolment_cancel, enrolment=first)

    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.status == Status.CONFIRMED
    assert waiting_2.status == Status.WAITLISTED
    assert seats_taken(run) == 2
    assert any(s.startswith("A place opened up for you") for s in sent.subjects)


def test_raising_capacity_promotes_from_the_waitlist(run):
    for _ in range(4):
        enrolment_create(trainee=trainee(), run=run)
    CourseRun.objects.filter(pk=run.pk).update(capacity=3)
    promoted = waitlist_promote(run=run)
    assert len(promoted) == 1
    assert seats_taken(run) == 3


def test_approval_course_keeps_requests_pending_until_decided(course, run, sent):
    course.enrolment_policy = CoursePage.EnrolmentPolicy.APPROVAL
    course.save_revision().publish()
    admin = UserFactory(is_staff=True)
    request = sent(enrolment_create, trainee=trainee(), run=run)
    assert request.status == Status.PENDING
    assert seats_taken(run) == 1  # pending requests hold their seat

    sent(enrolment_approve, enrolment=request, by=admin)
    request.refresh_from_db()
    assert request.status == Status.CONFIRMED and request.decided_by == admin
    assert sent.subjects[-1].startswith("Your request was approved")


def test_rejection_needs_a_reason_frees_the_seat_and_tells_the_trainee(
    course, run, sent
):
    course.enrolment_policy = CoursePage.EnrolmentPolicy.APPROVAL
    course.save_revision().publish()
    admin = UserFactory(is_staff=True)
    request = enrolment_create(trainee=trainee(), run=run)

    with pytest.raises(InvalidTransition, match="reason"):
        enrolment_reject(enrolment=request, by=admin, reason="  ")
    request.refresh_from_db()
    assert request.status == Status.PENDING

    sent(enrolment_reject, enrolment=request, by=admin, reason="Prerequisites missing.")
    request.refresh_from_db()
    assert request.status == Status.REJECTED
    assert seats_taken(run) == 0
    assert "Prerequisites missing." in sent_body(sent)


def sent_body(outbox) -> str:
    from django.core import mail

    return mail.outbox[-1].body


def test_enrolling_outside_the_window_is_refused(course):
    past = CourseRunFactory(
        course=course,
        starts_on=today() - dt.timedelta(days=20),
        ends_on=today() - dt.timedelta(days=18),
    )
    not_yet = CourseRunFactory(
        course=course, enrolment_opens_on=today() + dt.timedelta(days=2)
    )
    for closed in (past, not_yet):
        with pytest.raises(EnrolmentClosed):
            enrolment_create(trainee=trainee(), run=closed)
    assert not Enrolment.objects.exists()


def test_enrolling_twice_is_refused(run):
    person = trainee()
    enrolment_create(trainee=person, run=run)
    with pytest.raises(AlreadyEnrolled):
        enrolment_create(trainee=person, run=run)
    assert Enrolment.objects.count() == 1 and seats_taken(run) == 1


def test_the_database_refuses_a_second_active_enrolment(run):
    person = trainee()
    first = enrolment_create(trainee=person, run=run)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            trainee=person,
            course=run.course,
            run=run,
            status=Status.WAITLISTED,
            is_member=False,
            price=0,
        )
    enrolment_cancel(enrolment=first)
    # After cancelling, the trainee may enrol again.
    assert enrolment_create(trainee=person, run=run).status == Status.CONFIRMED


def test_self_paced_enrolment_needs_no_run(catalogue):
    course = CoursePageFactory(parent=catalogue, format=CoursePage.Format.SELF_PACED)
    person = trainee()
    enrolment = enrolment_create(trainee=person, course=course)
    assert enrolment.status == Status.CONFIRMED and enrolment.run is None
    with pytest.raises(AlreadyEnrolled):
        enrolment_create(trainee=person, course=course)


def test_a_run_is_needed_for_a_scheduled_course_and_drafts_are_closed(
    course, catalogue
):
    with pytest.raises(CourseNotAvailable):
        enrolment_create(trainee=trainee(), course=course)
    draft = CoursePageFactory(parent=catalogue, publish=False)
    with pytest.raises(CourseNotAvailable):
        enrolment_create(trainee=trainee(), run=CourseRunFactory(course=draft))


def test_trainee_cannot_cancel_after_the_deadline_but_staff_can(course):
    course.cancellation_deadline_days = 3
    course.save_revision().publish()
    run = CourseRunFactory(
        course=course,
        starts_on=today() + dt.timedelta(days=5),
        ends_on=today() + dt.timedelta(days=6),
    )
    enrolment = enrolment_create(trainee=trainee(), run=run)
    with pytest.raises(CancellationTooLate, match="cancellation deadline"):
        enrolment_cancel(enrolment=enrolment, on=today() + dt.timedelta(days=3))
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CONFIRMED and seats_taken(run) == 1

    enrolment_cancel(enrolment=enrolment, on=today() + dt.timedelta(days=2))
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CANCELLED and seats_taken(run) == 0


def test_notice_is_sent_once_even_when_the_task_runs_twice(run, mailoutbox):
    enrolment = enrolment_create(trainee=trainee(), run=run)
    email = OutboundEmail.objects.get(dedupe_key=f"enrolment:{enrolment.pk}:confirmed")
    assert email_send(email_id=email.pk) is True
    assert email_send(email_id=email.pk) is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].alternatives[0][1] == "text/html"
