"""Coordinators invite their staff: a shared link or a personal invitation by
e-mail; whoever joins with one is confirmed as the organisation's staff at
once. Links expire, can be revoked, and name one organisation."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from academy_site.outbox.models import OutboundEmail
from enrolments.errors import InvalidTransition
from enrolments.models import JoinLink, MembershipClaim
from enrolments.services.membership import (
    coordinator_appoint,
    join_link_create,
    join_link_revoke,
    membership_join,
)
from tests.factories import (
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-2026"
NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def panonija():
    organisation = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=organisation)
    return organisation


@pytest.fixture
def coordinator(panonija):
    user = UserFactory(email="dragana@panonijasoft.rs", first_name="Dragana")
    coordinator_appoint(organisation=panonija, user=user, by=None)
    return user


def join_url(link):
    return reverse("coordination:join", args=[link.token])


def test_a_visitor_signs_up_from_a_link_and_joins_confirmed(
    client, django_capture_on_commit_callbacks, coordinator, panonija
):
    link = join_link_create(organisation=panonija, by=coordinator)
    page = client.get(join_url(link)).content.decode()
    assert "Join the staff of Panonija Soft d.o.o." in page
    sign_up = re.search(r'href="([^"]*/account/sign-up/\?next=[^"]+)"', page)[1]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            sign_up.replace("&amp;", "&"),
            {
                "email": "ana@gmail.com",
                "full_name": "Ana Kovač",
                "organisation": "",
                "preferred_language": "en",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    confirm = re.search(
        r"http://testserver(\S*/account/confirm/\S*)", mail.outbox[0].body
    )
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(confirm[1])
    # The confirmation leads back to the invitation.
    assert back["Location"] == join_url(link)

    joined = client.post(join_url(link))
    assert joined.status_code == 302
    claim = MembershipClaim.objects.get(trainee__user__email="ana@gmail.com")
    assert (claim.organisation, claim.status, claim.method) == (
        panonija,
        "confirmed",
        "join_link",
    )
    link.refresh_from_db()
    assert link.uses == 1


def test_a_pending_claim_is_confirmed_by_joining(client, coordinator, panonija):
    trainee = TraineeProfileFactory(organisation=panonija, confirmed=False)
    link = join_link_create(organisation=panonija, by=coordinator)
    claim = membership_join(trainee=trainee, token=link.token)
    assert (claim.status, claim.method) == ("confirmed", "join_link")
    assert MembershipClaim.objects.filter(trainee=trainee).count() == 1


def test_expired_revoked_and_unknown_links_do_not_work(
    client, coordinator, panonija, time_machine
):
    trainee = TraineeProfileFactory()
    expired = join_link_create(organisation=panonija, by=coordinator, days=1)
    revoked = join_link_revoke(
        link=join_link_create(organisation=panonija, by=coordinator), by=coordinator
    )
    client.force_login(trainee.user)
    assert client.get(join_url(revoked)).status_code == 404
    with pytest.raises(InvalidTransition, match="no longer works"):
        membership_join(trainee=trainee, token=revoked.token)
    assert client.get(reverse("coordination:join", args=["nope"])).status_code == 404
    assert client.get(join_url(expired)).status_code == 200

    # A day and a minute later the one-day link has expired.
    time_machine.move_to(NOW + dt.timedelta(days=1, minutes=1), tick=False)
    response = client.get(join_url(expired))
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    assert client.post(join_url(expired)).status_code == 404
    assert not MembershipClaim.objects.filter(trainee=trainee).exists()


def test_a_personal_invitation_is_e_mailed_and_works_once_for_its_address(
    client, django_capture_on_commit_callbacks, coordinator, panonija
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coordination:invite", args=[panonija.pk]),
            {"emails": "Ana@Gmail.com, mila@panonijasoft.rs\nana@gmail.com"},
        )
    assert response.status_code == 302
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"ana@gmail.com", "mila@panonijasoft.rs"}
    message = sent["ana@gmail.com"]
    assert message.subject == "Panonija Soft d.o.o. invites you to the Cluster Academy"
    assert (
        "Dragana invites you to join the staff of Panonija Soft d.o.o." in message.body
    )
    path = re.search(r"http://testserver(\S*/organisation/join/\S*/)", message.body)[1]

    # Someone else who got hold of Ana's invitation cannot use it.
    other = TraineeProfileFactory(user=UserFactory(email="eve@mail.rs"))
    client.force_login(other.user)
    refused = client.post(path)
    assert refused.status_code == 400
    assert "sent to another address" in refused.content.decode()

    ana = TraineeProfileFactory(user=UserFactory(email="ana@gmail.com"))
    client.force_login(ana.user)
    assert client.post(path).status_code == 302
    assert MembershipClaim.objects.get(trainee=ana).status == "confirmed"
    # Used once: it no longer works, even for Ana.
    assert client.get(path).status_code == 404


def test_bad_invitation_input_is_refused_and_nothing_is_sent(
    client, coordinator, panonija
):
    client.force_login(coordinator)
    url = reverse("coordination:invite", args=[panonija.pk])
    response = client.post(url, {"emails": "ana@gmail.com, not-an-address"})
    assert response.status_code == 400
    assert "These are not e-mail addresses: not-an-address" in response.content.decode()
    too_many = ", ".join(f"p{i}@mail.rs" for i in range(51))
    response = client.post(url, {"emails": too_many})
    assert "Send at most 50 invitations at once." in response.content.decode()
    assert not OutboundEmail.objects.exists()
    assert not JoinLink.objects.exists()


def test_a_coordinator_makes_and_revokes_links_of_their_organisation_only(
    client, coordinator, panonija
):
    other = OrganisationFactory(name="Vega IT")
    theirs = join_link_create(organisation=other, by=None)
    client.force_login(coordinator)

    client.post(reverse("coordination:link_create", args=[panonija.pk]))
    link = JoinLink.objects.get(organisation=panonija)
    page = client.get(reverse("coordination:organisation", args=[panonija.pk]))
    assert f"http://testserver{join_url(link)}" in page.content.decode()

    # Another organisation's link, through theirs or through one's own URL.
    for org in (panonija, other):
        url = reverse("coordination:link_revoke", args=[org.pk, theirs.pk])
        assert client.post(url).status_code == 404
    assert (
        client.post(reverse("coordination:link_create", args=[other.pk])).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.revoked_at is None

    client.post(reverse("coordination:link_revoke", args=[panonija.pk, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at == NOW
