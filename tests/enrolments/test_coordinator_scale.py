"""The coordinator's pages read in the same number of queries for an
organisation of 10 people as for one of 200: claims waiting, confirmed staff,
their enrolments with attendance and progress, requests to approve, the
enrolment form and the exports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from enrolments.services.membership import (
    coordinator_appoint,
    membership_claim,
    staff_enrol,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=organisation)
    return organisation


@pytest.fixture
def coordinator(organisation):
    user = UserFactory(email="dragana@panonijasoft.rs")
    coordinator_appoint(organisation=organisation, user=user, by=None)
    return user


def grow_to(people: int, *, organisation, coordinator, catalogue, grown: list):
    """Adds people until the organisation has `people` of each kind: confirmed
    staff enrolled by the coordinator in a run with a marked meeting, staff
    whose own request waits for the coordinator, and pending claimants."""
    start = len(grown)
    if start == people:
        return
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue, title=f"Scale course {people}"),
        capacity=people,
        starts_on=today(),
        enrolment_opens_on=today(),
    )
    meeting = MeetingFactory(run=run, date=today())
    approval_run = CourseRunFactory(
        course=CoursePageFactory(
            parent=catalogue,
            title=f"Scale approval course {people}",
            needs_employer_approval=True,
        ),
        capacity=people,
    )
    staff = []
    for i in range(start, people):
        staff.append(
            TraineeProfileFactory(
                full_name=f"Staff {i}",
                user=UserFactory(email=f"staff{i}@panonijasoft.rs"),
                organisation=organisation,
            )
        )
        membership_claim(
            trainee=TraineeProfileFactory(
                full_name=f"Claimant {i}", user=UserFactory(email=f"c{i}@mail.rs")
            ),
            organisation=organisation,
        )
    staff_enrol(organisation=organisation, run=run, trainees=staff, by=coordinator)
    register_save(
        meeting=meeting,
        marks={e.pk: "present" for e in run.enrolments.all()},
        by=coordinator,
    )
    for trainee in staff:
        assert enrolment_create(trainee=trainee, run=approval_run).waits_for_employer
    grown.extend(staff)


PAGES = [
    ("coordination:organisation", {}),
    ("coordination:enrolments", {}),
    ("coordination:requests", {}),
    ("coordination:enrol", {}),
    ("coordination:enrolments_export", {"file_format": "csv"}),
    ("coordination:enrolments_export", {"file_format": "xlsx"}),
]


def test_the_coordinators_pages_read_the_same_for_10_and_200_people(
    client, catalogue, organisation, coordinator
):
    client.force_login(coordinator)
    grown = []

    def counts(people: int) -> dict:
        grow_to(
            people,
            organisation=organisation,
            coordinator=coordinator,
            catalogue=catalogue,
            grown=grown,
        )
        result = {}
        for name, kwargs in PAGES:
            url = reverse(name, kwargs={"organisation_id": organisation.pk, **kwargs})
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, url
            result[url] = len(captured)
        # The pages list everyone: a count that stayed flat by leaving people
        # out would prove nothing.
        page = client.get(reverse("coordination:requests", args=[organisation.pk]))
        assert page.content.decode().count('id="request-') == people
        return result

    counts(1)  # warms the per-process caches (site, locales, content types)
    assert counts(10) == counts(200)
