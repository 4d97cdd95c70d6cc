"""An academy admin on a trainee's page: sees their claims, enrolments and
certificates; changes their organisation (confirmed, audited); enrols them by
hand (seat rules apply; another price only with a reason); applies today's
membership to an enrolment made before it was confirmed."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from academy_site.roles import INSTRUCTOR, grant_role
from enrolments.models import Enrolment, MembershipClaim
from enrolments.services import enrolment_create
from enrolments.services.membership import membership_claim, membership_confirm
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panonija():
    organisation = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=organisation)
    return organisation


@pytest.fixture
def run(catalogue):
    course = CoursePageFactory(
        parent=catalogue,
        title="Kubernetes u produkciji",
        price_member=Decimal("18000"),
        price_non_member=Decimal("30000"),
    )
    return CourseRunFactory(course=course, capacity=5)


def test_the_trainee_page_lists_claims_and_enrolments_with_buttons(
    admin_client, panonija, run
):
    trainee = TraineeProfileFactory(full_name="Ana Kovač", organisation=panonija)
    enrolment_create(trainee=trainee, run=run)
    page = admin_client.get(reverse("trainees:inspect", args=[trainee.pk]))
    html = page.content.decode()
    assert "Panonija Soft d.o.o." in html and "Kubernetes u produkciji" in html
    assert reverse("trainee_organisation", args=[trainee.pk]) in html
    assert reverse("trainee_enrol", args=[trainee.pk]) in html
    # Statuses as coloured tags in words, the price as a price.
    assert "academy-status--info" in html and "Confirmed" in html  # the enrolment
    assert "academy-status--good" in html  # the confirmed claim
    assert "18,000 RSD (member)" in html


def test_the_admin_changes_the_organisation_confirmed_and_audited(
    admin_client, panonija
):
    trainee = TraineeProfileFactory(user=UserFactory(email="ana@gmail.com"))
    url = reverse("trainee_organisation", args=[trainee.pk])
    response = admin_client.post(url, {"organisation": panonija.pk})
    assert response.status_code == 302
    claim = MembershipClaim.objects.get(trainee=trainee)
    assert (claim.status, claim.method) == ("confirmed", "admin")
    assert ModelLogEntry.objects.filter(action="academy.membership.change").exists()

    admin_client.post(url, {"organisation": ""})
    trainee.refresh_from_db()
    assert trainee.organisation is None
    assert MembershipClaim.objects.get(pk=claim.pk).status == "ended"


def test_enrolling_by_hand_applies_the_rules_and_a_price_needs_a_reason(
    admin_client, panonija, run
):
    trainee = TraineeProfileFactory(organisation=panonija)
    url = reverse("trainee_enrol", args=[trainee.pk])

    refused = admin_client.post(url, {"run": run.pk, "price": "0", "reason": ""})
    assert refused.status_code == 200
    assert "Say why the price differs." in refused.content.decode()
    assert not Enrolment.objects.exists()

    admin_client.post(url, {"run": run.pk, "price": "0", "reason": "Speaker's seat"})
    enrolment = Enrolment.objects.get()
    assert (enrolment.status, enrolment.price, enrolment.is_member) == (
        "confirmed",
        Decimal("0"),
        True,
    )
    entry = ModelLogEntry.objects.get(action="academy.enrolment.price")
    assert entry.data["old"] == "18000.00" and entry.data["reason"] == "Speaker's seat"

    again = admin_client.post(url, {"run": run.pk})
    assert "already enrolled" in again.content.decode()


def test_todays_membership_applies_to_an_earlier_enrolment_with_a_reason(
    admin_client, panonija, run
):
    trainee = TraineeProfileFactory(organisation=panonija, confirmed=False)
    enrolment = enrolment_create(trainee=trainee, run=run)
    assert enrolment.price == Decimal("30000")
    membership_confirm(
        claim=MembershipClaim.objects.get(trainee=trainee),
        by=UserFactory(is_superuser=True),
    )
    url = reverse("enrolment_reprice", args=[enrolment.pk])
    assert "membership 18000.00 RSD" in admin_client.get(url).content.decode()

    assert admin_client.post(url, {"reason": ""}).status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.price == Decimal("30000")

    admin_client.post(url, {"reason": "Claim confirmed a day late"})
    enrolment.refresh_from_db()
    assert (enrolment.price, enrolment.is_member, enrolment.organisation) == (
        Decimal("18000"),
        True,
        panonija,
    )


def test_instructors_cannot_use_the_trainee_actions(client, panonija, run):
    instructor = UserFactory(is_staff=True)
    grant_role(user=instructor, role=INSTRUCTOR)
    trainee = TraineeProfileFactory()
    membership_claim(trainee=trainee, organisation=panonija)
    client.force_login(instructor)
    for url, data in (
        (reverse("trainee_organisation", args=[trainee.pk]), {"organisation": ""}),
        (reverse("trainee_enrol", args=[trainee.pk]), {"run": run.pk}),
    ):
        assert client.post(url, data).status_code in (302, 403)
    assert not Enrolment.objects.exists()
    assert MembershipClaim.objects.get(trainee=trainee).status == "pending"
