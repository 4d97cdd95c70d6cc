"""The monthly summary to coordinators: last month's figures of their staff,
sent once per coordinator and month through the outbox, in their language,
never to those who turned it off, never for a month with nothing to say."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from academy_site.outbox.models import OutboundEmail
from enrolments.models import Coordinator, Enrolment
from enrolments.services import enrolment_create
from enrolments.services.membership import coordinator_appoint, membership_claim
from enrolments.tasks import send_coordinator_summaries
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
NOVEMBER = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
FIRST_OF_DECEMBER = dt.datetime(2026, 12, 1, 6, 30, tzinfo=dt.UTC)


@pytest.fixture
def panonija():
    organisation = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=organisation, starts_on=dt.date(2025, 1, 1))
    return organisation


def coordinator_of(organisation, *, language="en", email="dragana@panonijasoft.rs"):
    profile = TraineeProfileFactory(
        full_name="Dragana Vuković",
        user=UserFactory(email=email),
        preferred_language=language,
    )
    return coordinator_appoint(organisation=organisation, user=profile.user, by=None)


def november_enrolments(catalogue, organisation, count=2):
    course = CoursePageFactory(parent=catalogue, title="Kubernetes u produkciji")
    run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2026, 12, 14),
        ends_on=dt.date(2026, 12, 15),
        enrolment_opens_on=dt.date(2026, 10, 1),
    )
    for i in range(count):
        trainee = TraineeProfileFactory(
            full_name=f"Staff {i}",
            user=UserFactory(email=f"s{i}@panonijasoft.rs"),
            organisation=organisation,
        )
        enrolment_create(trainee=trainee, run=run)


def test_the_first_of_the_month_sends_last_months_figures_once(
    catalogue, panonija, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOVEMBER, tick=False)
    coordinator_of(panonija)
    november_enrolments(catalogue, panonija, count=2)
    membership_claim(trainee=TraineeProfileFactory(), organisation=panonija)
    mail.outbox.clear()

    time_machine.move_to(FIRST_OF_DECEMBER, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_coordinator_summaries() == 1
    with django_capture_on_commit_callbacks(execute=True):
        # Beat or the worker restarted: the task runs again, nothing more.
        assert send_coordinator_summaries() == 0

    [message] = mail.outbox
    assert message.to == ["dragana@panonijasoft.rs"]
    assert (
        message.subject == "Panonija Soft d.o.o. at the Cluster Academy: November 2026"
    )
    assert "2 new enrolments of your staff" in message.body
    assert "1 person waits for your confirmation" in message.body
    assert f"/en/organisation/{panonija.pk}/" in message.body


def test_the_summary_is_in_the_coordinators_language(
    catalogue, panonija, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOVEMBER, tick=False)
    coordinator_of(panonija, language="sr")
    november_enrolments(catalogue, panonija, count=1)
    mail.outbox.clear()
    time_machine.move_to(FIRST_OF_DECEMBER, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_coordinator_summaries()
    [message] = mail.outbox
    assert message.subject == (
        "Panonija Soft d.o.o. у Академији кластера: новембар 2026"
    )


def test_no_summary_when_turned_off_or_when_nothing_happened(
    client, catalogue, panonija, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOVEMBER, tick=False)
    quiet = OrganisationFactory(name="Tiha Firma")
    coordinator_of(quiet, email="quiet@tiha.rs")
    coordinator = coordinator_of(panonija)
    november_enrolments(catalogue, panonija, count=1)
    client.force_login(coordinator.user)
    response = client.post(reverse("coordination:summary", args=[panonija.pk]), {})
    assert response.status_code == 302
    assert not Coordinator.objects.get(pk=coordinator.pk).monthly_summary

    time_machine.move_to(FIRST_OF_DECEMBER, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_coordinator_summaries() == 0
    assert not OutboundEmail.objects.filter(
        kind="organisation.monthly_summary"
    ).exists()


def test_enrolments_of_other_months_and_organisations_are_not_counted(
    catalogue, panonija, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC), tick=False)
    coordinator_of(panonija)
    november_enrolments(catalogue, panonija, count=1)  # made in October
    time_machine.move_to(NOVEMBER, tick=False)
    november_enrolments(catalogue, OrganisationFactory(), count=1)
    time_machine.move_to(FIRST_OF_DECEMBER, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_coordinator_summaries() == 0
    assert Enrolment.objects.count() == 2
