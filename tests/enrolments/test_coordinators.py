"""An organisation's coordinator confirms or refuses its staff claims on their
own page (/organisation/), and sees nobody outside their organisation."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from enrolments.errors import CoordinatorError
from enrolments.models import Coordinator, MembershipClaim
from enrolments.services.membership import (
    coordinator_appoint,
    coordinator_remove,
    membership_claim,
)
from tests.factories import (
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = MembershipClaim.Status


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


def claimant(name, organisation, email=None):
    trainee = TraineeProfileFactory(
        full_name=name, user=UserFactory(email=email or f"{name.split()[0]}@mail.rs")
    )
    return membership_claim(trainee=trainee, organisation=organisation)


def page_url(organisation):
    return reverse("coordination:organisation", args=[organisation.pk])


def test_a_coordinator_of_one_organisation_lands_on_its_page(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("coordination:home"))
    assert response.status_code == 302
    assert response["Location"].endswith(
        page_url(Coordinator.objects.get().organisation)
    )


def test_the_page_lists_pending_claims_and_confirmed_staff(
    client, coordinator, panonija
):
    claimant("Ana Kovač", panonija)
    TraineeProfileFactory(full_name="Đorđe Petrović", organisation=panonija)
    claimant("Mila Other", OrganisationFactory(name="Vega IT"))
    client.force_login(coordinator)

    page = client.get(page_url(panonija)).content.decode()

    assert "1 person waits for your confirmation" in page
    assert "Ana Kovač" in page and "Đorđe Petrović" in page
    assert "Mila Other" not in page


def test_the_coordinator_confirms_and_the_member_price_follows(
    client, coordinator, panonija
):
    claim = claimant("Ana Kovač", panonija)
    client.force_login(coordinator)

    response = client.post(
        reverse("coordination:claim_confirm", args=[panonija.pk, claim.pk])
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.method, claim.decided_by) == (
        Status.CONFIRMED,
        "coordinator",
        coordinator,
    )
    assert ModelLogEntry.objects.filter(
        action="academy.membership.confirm", user=coordinator
    ).exists()


def test_a_refusal_needs_a_reason_and_keeps_the_claim_until_given(
    client, coordinator, panonija
):
    claim = claimant("Ana Kovač", panonija)
    client.force_login(coordinator)
    url = reverse("coordination:claim_refuse", args=[panonija.pk, claim.pk])

    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Say why you refuse the claim." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.PENDING

    client.post(url, {"reason": "Not one of ours"})
    claim.refresh_from_db()
    assert (claim.status, claim.note) == (Status.REFUSED, "Not one of ours")


def test_a_coordinator_cannot_decide_another_organisations_claims_by_changing_ids(
    client, coordinator, panonija
):
    other = OrganisationFactory(name="Vega IT")
    theirs = claimant("Mila Other", other)
    client.force_login(coordinator)

    # Their own organisation in the URL, the other's claim id; and the other
    # organisation's URL outright.
    for org in (panonija, other):
        for name in ("claim_confirm", "claim_refuse"):
            url = reverse(f"coordination:{name}", args=[org.pk, theirs.pk])
            assert client.post(url, {"reason": "x"}).status_code == 404
    assert client.get(page_url(other)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.PENDING


def test_people_who_coordinate_nothing_get_not_found(client, panonija):
    trainee = TraineeProfileFactory(organisation=panonija)
    client.force_login(trainee.user)
    assert client.get(reverse("coordination:home")).status_code == 404
    assert client.get(page_url(panonija)).status_code == 404
    client.logout()
    response = client.get(page_url(panonija))
    assert response.status_code == 302 and "/account/log-in/" in response["Location"]


def test_decisions_are_posts_with_the_csrf_token(coordinator, panonija):
    from django.test import Client

    claim = claimant("Ana Kovač", panonija)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    url = reverse("coordination:claim_confirm", args=[panonija.pk, claim.pk])
    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403
    claim.refresh_from_db()
    assert claim.status == Status.PENDING


def test_the_page_reads_in_a_fixed_number_of_queries(client, coordinator, panonija):
    client.force_login(coordinator)

    def queries(people: int) -> int:
        for i in range(people):
            claimant(f"Pending {i}", panonija, email=f"p{i}-{people}@mail.rs")
            TraineeProfileFactory(
                full_name=f"Staff {i}",
                user=UserFactory(email=f"s{i}-{people}@mail.rs"),
                organisation=panonija,
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(panonija)).status_code == 200
        return len(captured)

    queries(1)  # warms the per-process caches (site, locales, content types)
    assert queries(2) == queries(20)


def test_appointing_twice_is_one_coordinator_and_an_unconfirmed_account_is_refused(
    panonija,
):
    user = UserFactory(email="a@panonijasoft.rs")
    coordinator_appoint(organisation=panonija, user=user, by=None)
    coordinator_appoint(organisation=panonija, user=user, by=None)
    assert Coordinator.objects.count() == 1
    with pytest.raises(CoordinatorError):
        coordinator_appoint(
            organisation=panonija,
            user=UserFactory(email="b@panonijasoft.rs", is_active=False),
            by=None,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Coordinator.objects.create(organisation=panonija, user=user)


def test_the_admin_appoints_and_removes_coordinators_by_e_mail(admin_client, panonija):
    user = UserFactory(email="dragana@panonijasoft.rs")
    url = reverse("organisation_coordinators", args=[panonija.pk])

    unknown = admin_client.post(url, {"email": "nobody@nowhere.rs"})
    assert "No account uses this address" in unknown.content.decode()
    assert not Coordinator.objects.exists()

    admin_client.post(url, {"email": " Dragana@PanonijaSoft.rs "})
    coordinator = Coordinator.objects.get()
    assert coordinator.user == user
    assert "dragana@panonijasoft.rs" in admin_client.get(url).content.decode()

    admin_client.post(url, {"remove": coordinator.pk})
    assert not Coordinator.objects.exists()
    actions = list(
        ModelLogEntry.objects.order_by("pk").values_list("action", flat=True)
    )
    assert actions[-2:] == ["academy.coordinator.appoint", "academy.coordinator.remove"]


def test_removing_a_coordinator_ends_their_access(client, coordinator, panonija):
    client.force_login(coordinator)
    assert client.get(page_url(panonija)).status_code == 200
    coordinator_remove(coordinator=Coordinator.objects.get(), by=None)
    assert client.get(page_url(panonija)).status_code == 404


def test_the_header_links_coordinators_to_their_organisation(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("learning:home")).content.decode()
    assert "Your organisation" in page
    client.force_login(TraineeProfileFactory().user)
    assert (
        "Your organisation" not in client.get(reverse("learning:home")).content.decode()
    )


# --- Enrolling staff ----------------------------------------------------------------


@pytest.fixture
def open_run(catalogue):
    from tests.factories import CoursePageFactory, CourseRunFactory

    course = CoursePageFactory(parent=catalogue, title="Kubernetes u produkciji")
    return CourseRunFactory(course=course, capacity=1)


def test_the_coordinator_enrols_two_staff_and_the_seat_rules_apply(
    client, django_capture_on_commit_callbacks, coordinator, panonija, open_run
):
    from django.core import mail

    from enrolments.models import Enrolment

    ana = TraineeProfileFactory(full_name="Ana Kovač", organisation=panonija)
    mila = TraineeProfileFactory(full_name="Mila Ilić", organisation=panonija)
    client.force_login(coordinator)
    url = reverse("coordination:enrol", args=[panonija.pk])
    assert "Kubernetes u produkciji" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"run": open_run.pk, "trainees": [ana.pk, mila.pk]})

    assert response.status_code == 200
    statuses = dict(
        Enrolment.objects.filter(run=open_run).values_list("trainee_id", "status")
    )
    # One seat: one confirmed, one waitlisted, both at the member price.
    assert sorted(statuses.values()) == ["confirmed", "waitlisted"]
    assert all(
        e.is_member and e.organisation == panonija
        for e in Enrolment.objects.filter(run=open_run)
    )
    assert {m.to[0] for m in mail.outbox} == {ana.user.email, mila.user.email}
    page = response.content.decode()
    assert "Ana Kovač" in page and "On the waitlist" in page
    assert ModelLogEntry.objects.filter(action="academy.coordinator.enrol").count() == 2


def test_only_confirmed_staff_can_be_enrolled_and_nothing_is_written(
    client, coordinator, panonija, open_run
):
    from enrolments.models import Enrolment

    ours = TraineeProfileFactory(full_name="Ana Kovač", organisation=panonija)
    pending = TraineeProfileFactory(organisation=panonija, confirmed=False)
    stranger = TraineeProfileFactory(organisation=OrganisationFactory())
    client.force_login(coordinator)
    url = reverse("coordination:enrol", args=[panonija.pk])

    for outsider in (pending, stranger):
        response = client.post(
            url, {"run": open_run.pk, "trainees": [ours.pk, outsider.pk]}
        )
        assert response.status_code == 400
        assert "Only your confirmed staff can be enrolled." in response.content.decode()
    assert client.post(url, {"run": 999999, "trainees": [ours.pk]}).status_code == 400
    assert not Enrolment.objects.exists()


def test_the_staff_service_refuses_outsiders_whoever_calls_it(
    coordinator, panonija, open_run
):
    from enrolments.services.membership import staff_enrol

    outsider = TraineeProfileFactory(organisation=OrganisationFactory())
    with pytest.raises(CoordinatorError, match="are not"):
        staff_enrol(
            organisation=panonija, run=open_run, trainees=[outsider], by=coordinator
        )
