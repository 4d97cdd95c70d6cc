"""Courses that need the employer's approval: a staff member's own request
waits for their organisation's coordinator, who approves or refuses it on
/organisation/<id>/requests/; the academy's approval, when the course also
needs it, comes after."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses.models import CoursePage, CourseRun
from enrolments.errors import InvalidTransition
from enrolments.models import Enrolment
from enrolments.services import enrolment_approve, enrolment_create, offer_accept
from enrolments.services.enrolment import (
    enrolment_employer_approve,
    enrolment_employer_refuse,
)
from enrolments.services.membership import coordinator_appoint, staff_enrol
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
Employer = Enrolment.EmployerApproval


@pytest.fixture
def panonija():
    organisation = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=organisation)
    return organisation


@pytest.fixture
def coordinator(panonija):
    user = UserFactory(email="dragana@panonijasoft.rs")
    coordinator_appoint(organisation=panonija, user=user, by=None)
    return user


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue, title="Kubernetes u produkciji", needs_employer_approval=True
    )


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, capacity=2)


@pytest.fixture
def staff(panonija):
    return TraineeProfileFactory(full_name="Ana Kovač", organisation=panonija)


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Runs on-commit callbacks (the outbox's send task) and keeps the mail."""

    class Outbox:
        def __call__(self, action, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return action(*args, **kwargs)

        def to(self, address):
            return [m for m in mailoutbox if m.to == [address]]

    return Outbox()


def requests_url(organisation):
    return reverse("coordination:requests", args=[organisation.pk])


def test_a_staff_request_waits_for_the_coordinator_through_the_real_pages(
    client, sent, coordinator, panonija, staff, run
):
    client.force_login(staff.user)
    enrol_url = reverse("learning:enrol_run", args=[run.pk])
    preview = client.get(enrol_url).content.decode()
    assert "needs your employer's approval" in preview
    assert "training coordinator of Panonija Soft d.o.o." in preview

    response = sent(client.post, enrol_url)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(trainee=staff)
    assert (enrolment.status, enrolment.employer_approval) == (
        Status.PENDING,
        Employer.WAITING,
    )
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1  # the seat is held
    # The coordinator is told, with the link to decide.
    (asked,) = sent.to(coordinator.email)
    # In Serbian: the coordinator has no profile that says otherwise.
    assert asked.subject == "Ana Kovač traži upis na kurs Kubernetes u produkciji"
    assert f"/sr-latn/organisation/{panonija.pk}/requests/" in asked.body
    (requested,) = sent.to(staff.user.email)
    assert "The training coordinator of Panonija Soft d.o.o. decides" in (
        requested.body.replace("\n", " ")
    )
    my_learning = client.get(reverse("learning:home")).content.decode()
    assert "Waiting for your employer's approval" in my_learning

    client.force_login(coordinator)
    page = client.get(reverse("coordination:organisation", args=[panonija.pk]))
    assert "Requests to approve (1)" in page.content.decode()
    listing = client.get(requests_url(panonija)).content.decode()
    assert "Ana Kovač" in listing and "18,000.00 RSD" in listing
    approve = reverse("coordination:request_approve", args=[panonija.pk, enrolment.pk])
    response = sent(client.post, approve, follow=True)

    assert "place in Kubernetes u produkciji is confirmed" in response.content.decode()
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.employer_approval, enrolment.decided_by) == (
        Status.CONFIRMED,
        Employer.APPROVED,
        coordinator,
    )
    assert sent.to(staff.user.email)[-1].subject == (
        "Your request was approved: Kubernetes u produkciji"
    )
    assert ModelLogEntry.objects.filter(
        action="academy.enrolment.employer_approve", user=coordinator
    ).exists()
    # Decided: it is gone from the list, and a second approval finds nothing.
    assert (
        "No request waits for you"
        in client.get(requests_url(panonija)).content.decode()
    )
    assert client.post(approve).status_code == 404


def test_the_academy_decides_after_the_employer_when_the_course_needs_both(
    sent, coordinator, staff, run, course
):
    course.enrolment_policy = CoursePage.EnrolmentPolicy.APPROVAL
    course.save_revision().publish()
    enrolment = sent(enrolment_create, trainee=staff, run=run)
    assert enrolment.waits_for_employer

    enrolment = sent(enrolment_employer_approve, enrolment=enrolment, by=coordinator)

    assert (enrolment.status, enrolment.employer_approval) == (
        Status.PENDING,
        Employer.APPROVED,
    )
    assert sent.to(staff.user.email)[-1].subject == (
        "Your employer approved your request: Kubernetes u produkciji"
    )
    admin = UserFactory(is_superuser=True)
    enrolment = sent(enrolment_approve, enrolment=enrolment, by=admin)
    assert (enrolment.status, enrolment.employer_approval) == (
        Status.CONFIRMED,
        Employer.APPROVED,
    )


def test_a_refusal_needs_a_reason_and_its_seat_goes_to_the_waitlist(
    client, sent, coordinator, panonija, staff, course
):
    run = CourseRunFactory(course=course, capacity=1)
    enrolment = enrolment_create(trainee=staff, run=run)
    waiting = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    assert waiting.status == Status.WAITLISTED
    client.force_login(coordinator)
    refuse = reverse("coordination:request_refuse", args=[panonija.pk, enrolment.pk])

    response = client.post(refuse, {"reason": "  "})
    assert response.status_code == 400
    assert "Say why you refuse the request." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Status.PENDING

    sent(client.post, refuse, {"reason": "Not this quarter: the budget is spent."})
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.employer_approval) == (
        Status.REJECTED,
        Employer.REFUSED,
    )
    assert enrolment.rejection_reason == "Not this quarter: the budget is spent."
    notice = sent.to(staff.user.email)[-1]
    assert "Panonija Soft d.o.o. did not approve" in notice.body.replace("\n", " ")
    assert "the budget is spent" in notice.body
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1
    waiting = offer_accept(enrolment=waiting)
    assert waiting.status == Status.CONFIRMED  # not staff: no employer to ask


def test_only_staff_of_an_organisation_with_a_coordinator_wait_for_an_employer(
    panonija, course, run
):
    no_coordinator = OrganisationFactory(name="Vega IT")
    MembershipPeriodFactory(organisation=no_coordinator)
    someone = TraineeProfileFactory()
    unconfirmed = TraineeProfileFactory(organisation=panonija, confirmed=False)
    coordinator_appoint(organisation=panonija, user=UserFactory(), by=None)
    without = TraineeProfileFactory(organisation=no_coordinator)

    for trainee in (someone, unconfirmed, without):
        enrolment = enrolment_create(trainee=trainee, run=run)
        assert (enrolment.status, enrolment.employer_approval) == (
            Status.CONFIRMED,
            Employer.NOT_ASKED,
        ), trainee
        run.capacity += 1
        run.save()


def test_a_course_without_the_setting_confirms_staff_at_once(
    catalogue, coordinator, staff
):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    assert enrolment_create(trainee=staff, run=run).status == Status.CONFIRMED


def test_a_coordinator_cannot_decide_for_another_organisation(
    client, coordinator, staff, run
):
    enrolment = enrolment_create(trainee=staff, run=run)
    vega = OrganisationFactory(name="Vega IT")
    other = UserFactory(email="marko@vegait.rs")
    coordinator_appoint(organisation=vega, user=other, by=None)
    client.force_login(other)

    # Their own organisation's URL with our request's id, and ours outright.
    for organisation_id in (vega.pk, staff.organisation_id):
        for name, data in (
            ("request_approve", {}),
            ("request_refuse", {"reason": "x"}),
        ):
            url = reverse(f"coordination:{name}", args=[organisation_id, enrolment.pk])
            assert client.post(url, data).status_code == 404
    assert client.get(requests_url(staff.organisation)).status_code == 404
    assert "Ana Kovač" not in client.get(requests_url(vega)).content.decode()
    enrolment.refresh_from_db()
    assert enrolment.waits_for_employer
    # The services refuse a request that no longer waits, whoever calls them.
    enrolment_employer_approve(enrolment=enrolment, by=coordinator)
    with pytest.raises(InvalidTransition, match="no longer waits"):
        enrolment_employer_approve(enrolment=enrolment, by=coordinator)
    with pytest.raises(InvalidTransition, match="no longer waits"):
        enrolment_employer_refuse(enrolment=enrolment, by=coordinator, reason="No")


def test_staff_enrolled_by_their_coordinator_are_not_asked_again(
    sent, coordinator, panonija, staff, course
):
    run = CourseRunFactory(course=course, capacity=1)
    second = TraineeProfileFactory(full_name="Mila Ilić", organisation=panonija)
    staff_enrol(
        organisation=panonija, run=run, trainees=[staff, second], by=coordinator
    )
    first, waitlisted = (
        Enrolment.objects.get(trainee=staff),
        Enrolment.objects.get(trainee=second),
    )
    assert (first.status, first.employer_approval) == (
        Status.CONFIRMED,
        Employer.APPROVED,
    )
    assert (waitlisted.status, waitlisted.employer_approval) == (
        Status.WAITLISTED,
        Employer.APPROVED,
    )

    from enrolments.services import enrolment_cancel

    sent(enrolment_cancel, enrolment=first, by_staff=True, by=coordinator)
    waitlisted.refresh_from_db()
    assert waitlisted.status == Status.OFFERED
    waitlisted = sent(offer_accept, enrolment=waitlisted)
    assert waitlisted.status == Status.CONFIRMED
    assert not sent.to(coordinator.email)


def test_a_promoted_staff_member_who_asked_alone_waits_for_the_employer(
    sent, coordinator, panonija, staff, course
):
    run = CourseRunFactory(course=course, capacity=1)
    first = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    queued = enrolment_create(trainee=staff, run=run)
    assert queued.status == Status.WAITLISTED

    from enrolments.services import enrolment_cancel

    sent(enrolment_cancel, enrolment=first, by_staff=True, by=coordinator)
    queued.refresh_from_db()
    assert queued.status == Status.OFFERED
    assert not sent.to(coordinator.email)  # nobody asks before they accept
    queued = sent(offer_accept, enrolment=queued)
    assert (queued.status, queued.employer_approval) == (
        Status.PENDING,
        Employer.WAITING,
    )
    assert [m.subject for m in sent.to(coordinator.email)] == [
        "Ana Kovač traži upis na kurs Kubernetes u produkciji"
    ]
    assert "The training coordinator of Panonija Soft d.o.o. decides first" in (
        sent.to(staff.user.email)[-1].body.replace("\n", " ")
    )


def test_cancelling_or_closing_ends_the_wait_and_the_database_keeps_the_rule(
    coordinator, staff, run
):
    from enrolments.services import enrolment_cancel

    enrolment = enrolment_create(trainee=staff, run=run)
    enrolment_cancel(enrolment=enrolment)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.employer_approval) == (
        Status.CANCELLED,
        Employer.NOT_ASKED,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(
            employer_approval=Employer.WAITING
        )


def test_the_requests_page_reads_in_a_fixed_number_of_queries(
    client, coordinator, panonija, course
):
    client.force_login(coordinator)

    def queries(people: int) -> int:
        run = CourseRunFactory(course=course, capacity=people)
        for i in range(people):
            trainee = TraineeProfileFactory(
                full_name=f"Staff {i}",
                user=UserFactory(email=f"s{i}-{people}@mail.rs"),
                organisation=panonija,
            )
            enrolment_create(trainee=trainee, run=run)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(requests_url(panonija))
        assert response.content.decode().count('class="button">Approve') >= people
        return len(captured)

    queries(1)  # warms the per-process caches (site, locales, content types)
    assert queries(3) == queries(12)
