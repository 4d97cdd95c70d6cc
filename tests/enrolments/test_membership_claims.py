"""Membership is confirmed, not claimed: naming an organisation at sign-up or in
the profile makes a claim; only a confirmed claim (a verified e-mail domain or
an academy admin) gives the member price and counts in the organisation's
reports."""

import importlib
import re
import threading
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from wagtail.models import ModelLogEntry

from enrolments.errors import InvalidTransition
from enrolments.models import Enrolment, MembershipClaim, OrganisationDomain
from enrolments.rules.membership import standing_of
from enrolments.services.membership import (
    membership_claim,
    membership_confirm,
    membership_refuse,
    memberships_confirm_by_domain,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = MembershipClaim.Status
PASSWORD = "correct-horse-battery-2026"
MEMBER_PRICE, NON_MEMBER_PRICE = Decimal("18000"), Decimal("30000")


@pytest.fixture
def panonija():
    organisation = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=organisation)
    OrganisationDomain.objects.create(
        organisation=organisation, domain="panonijasoft.rs"
    )
    return organisation


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue,
        title="Kubernetes u produkciji",
        price_member=MEMBER_PRICE,
        price_non_member=NON_MEMBER_PRICE,
    )


def sign_up_and_confirm(client, capture, *, email, organisation) -> None:
    """Sign up through the real page and follow the e-mailed link."""
    with capture(execute=True):
        response = client.post(
            reverse("accounts:sign_up"),
            {
                "email": email,
                "full_name": "Ana Kovač",
                "organisation": organisation.pk,
                "preferred_language": "en",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302, response.content
    [message] = mail.outbox
    path = re.search(r"http://testserver(\S*/account/confirm/\S*)", message.body)[1]
    with capture(execute=True):
        client.post(path)
    client.login(username=email.strip().lower(), password=PASSWORD)


def enrol(client, run) -> Enrolment:
    response = client.post(reverse("learning:enrol_run", args=[run.pk]))
    assert response.status_code == 302, response.content
    return Enrolment.objects.get(run=run)


# --- The two paths of the issue, through the real pages -------------------------


def test_a_stranger_naming_a_member_company_pays_the_non_member_price_until_confirmed(
    client, django_capture_on_commit_callbacks, panonija, course
):
    sign_up_and_confirm(
        client,
        django_capture_on_commit_callbacks,
        email="stranger@gmail.com",
        organisation=panonija,
    )
    claim = MembershipClaim.objects.get()
    assert claim.status == Status.PENDING

    page = client.get(course.url).content.decode()
    assert (
        "You pay the non-member price, 30,000 RSD, for now: the member price, "
        "18,000 RSD, applies once your work at Panonija Soft d.o.o. is confirmed."
    ) in page

    enrolment = enrol(client, CourseRunFactory(course=course))
    assert (enrolment.price, enrolment.is_member) == (NON_MEMBER_PRICE, False)
    # Not counted as the company's staff in its reports.
    assert enrolment.organisation is None

    membership_confirm(claim=claim, by=UserFactory(is_superuser=True))
    later = enrol(client, CourseRunFactory(course=course))
    assert (later.price, later.is_member, later.organisation) == (
        MEMBER_PRICE,
        True,
        panonija,
    )
    # The earlier enrolment keeps the price it was made with.
    enrolment.refresh_from_db()
    assert enrolment.price == NON_MEMBER_PRICE


def test_an_address_on_a_verified_domain_gets_the_member_price_at_once(
    client, django_capture_on_commit_callbacks, panonija, course
):
    sign_up_and_confirm(
        client,
        django_capture_on_commit_callbacks,
        email=" Ana.Kovac@PanonijaSoft.rs ",
        organisation=panonija,
    )
    claim = MembershipClaim.objects.get()
    assert (claim.status, claim.method) == (Status.CONFIRMED, "domain")
    assert "You pay the member price" in client.get(course.url).content.decode()

    enrolment = enrol(client, CourseRunFactory(course=course))
    assert (enrolment.price, enrolment.is_member, enrolment.organisation) == (
        MEMBER_PRICE,
        True,
        panonija,
    )
    entry = ModelLogEntry.objects.get(action="academy.membership.confirm")
    assert entry.user is None
    assert "by a verified e-mail domain" in entry.label


def test_a_verified_domain_confirms_nothing_before_the_address_is_confirmed(
    client, django_capture_on_commit_callbacks, panonija
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:sign_up"),
            {
                "email": "ana@panonijasoft.rs",
                "full_name": "Ana Kovač",
                "organisation": panonija.pk,
                "preferred_language": "en",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert MembershipClaim.objects.get().status == Status.PENDING


def test_a_lookalike_domain_is_not_the_verified_one(panonija):
    user = UserFactory(email="ana@panonijasoft.rs.evil.com")
    trainee = TraineeProfileFactory(user=user)
    claim = membership_claim(trainee=trainee, organisation=panonija)
    assert claim.status == Status.PENDING
    assert not standing_of(trainee).member_price


# --- Domains ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "domain, public_ok, message",
    [
        ("gmail.com", False, "gmail.com is a public mail provider"),
        ("ana@panonijasoft.rs", False, "Write only the part after @"),
        ("panonija soft", False, "This is not a domain name"),
        ("localhost", False, "This is not a domain name"),
        ("-bad-.rs", False, "This is not a domain name"),
    ],
)
def test_a_bad_domain_is_refused_with_a_clear_message(domain, public_ok, message):
    organisation = OrganisationFactory()
    entry = OrganisationDomain(
        organisation=organisation, domain=domain, public_provider_accepted=public_ok
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert message in " ".join(error.value.message_dict["domain"])


def test_a_public_provider_is_accepted_only_when_ticked_and_domains_are_lowercased():
    organisation = OrganisationFactory()
    entry = OrganisationDomain(
        organisation=organisation, domain="Gmail.COM ", public_provider_accepted=True
    )
    entry.full_clean()
    entry.save()
    assert entry.domain == "gmail.com"


def test_one_domain_belongs_to_one_organisation(panonija):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationDomain.objects.create(
            organisation=OrganisationFactory(), domain="panonijasoft.rs"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationDomain.objects.create(organisation=panonija, domain="Upper.rs")


def test_adding_a_domain_confirms_the_pending_claims_it_proves():
    organisation = OrganisationFactory()
    on_domain = TraineeProfileFactory(user=UserFactory(email="a@novi.rs"))
    elsewhere = TraineeProfileFactory(user=UserFactory(email="b@gmail.com"))
    for trainee in (on_domain, elsewhere):
        membership_claim(trainee=trainee, organisation=organisation)

    OrganisationDomain.objects.create(organisation=organisation, domain="novi.rs")
    assert memberships_confirm_by_domain(organisation=organisation) == 1

    statuses = dict(
        MembershipClaim.objects.values_list("trainee__user__email", "status")
    )
    assert statuses == {"a@novi.rs": Status.CONFIRMED, "b@gmail.com": Status.PENDING}


# --- Decisions ------------------------------------------------------------------


def test_confirming_twice_gives_one_result_and_one_audit_entry(panonija):
    claim = membership_claim(trainee=TraineeProfileFactory(), organisation=panonija)
    admin = UserFactory(is_superuser=True)
    membership_confirm(claim=claim, by=admin)
    membership_confirm(claim=claim, by=UserFactory(is_superuser=True))

    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (Status.CONFIRMED, admin)
    assert (
        ModelLogEntry.objects.filter(action="academy.membership.confirm").count() == 1
    )


def test_a_refused_claim_cannot_be_confirmed_and_a_refusal_needs_a_reason(panonija):
    trainee = TraineeProfileFactory()
    claim = membership_claim(trainee=trainee, organisation=panonija)
    admin = UserFactory(is_superuser=True)
    with pytest.raises(InvalidTransition, match="Say why"):
        membership_refuse(claim=claim, by=admin, reason="  ")

    membership_refuse(claim=claim, by=admin, reason="Not on our staff list")
    with pytest.raises(InvalidTransition, match="already refused"):
        membership_confirm(claim=claim, by=admin)
    trainee.refresh_from_db()
    assert trainee.organisation is None
    assert not standing_of(trainee).awaiting_confirmation


def test_naming_another_organisation_ends_the_claim_and_keeps_the_history(panonija):
    trainee = TraineeProfileFactory(organisation=panonija)
    other = OrganisationFactory(name="Vega IT d.o.o.")

    membership_claim(trainee=trainee, organisation=other)
    membership_claim(trainee=trainee, organisation=None)

    history = list(
        MembershipClaim.objects.order_by("pk").values_list(
            "organisation__name", "status"
        )
    )
    assert history == [
        ("Panonija Soft d.o.o.", Status.ENDED),
        ("Vega IT d.o.o.", Status.ENDED),
    ]
    trainee.refresh_from_db()
    assert trainee.organisation is None


def test_the_database_allows_one_open_claim_per_trainee(panonija):
    trainee = TraineeProfileFactory(organisation=panonija)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipClaim.objects.create(
            trainee=trainee, organisation=OrganisationFactory()
        )


def test_claims_recorded_before_confirmation_existed_are_kept_confirmed(panonija):
    """The migration's data step: a trainee who had named an organisation."""
    trainee = TraineeProfileFactory()
    type(trainee).objects.filter(pk=trainee.pk).update(organisation=panonija)
    migration = importlib.import_module("enrolments.migrations.0010_membership_claims")

    migration.claims_for_recorded_organisations(global_apps, None)

    claim = MembershipClaim.objects.get(trainee=trainee)
    assert (claim.status, claim.method) == (Status.CONFIRMED, "recorded_before")
    assert standing_of(trainee).member_price


# --- The admin's pages ------------------------------------------------------------


def test_the_admin_confirms_a_claim_on_its_page(admin_client, panonija):
    trainee = TraineeProfileFactory(user=UserFactory(email="ana@gmail.com"))
    claim = membership_claim(trainee=trainee, organisation=panonija)
    url = reverse("membership_claims:decide", args=[claim.pk])

    listing = admin_client.get(reverse("membership_claims:index")).content.decode()
    assert url in listing
    page = admin_client.get(url).content.decode()
    assert "is not on one of the organisation" in page
    assert "panonijasoft.rs" in page

    response = admin_client.post(url, {"decision": "confirm"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.method) == (Status.CONFIRMED, "admin")


def test_a_refusal_without_a_reason_is_sent_back_and_changes_nothing(
    admin_client, panonija
):
    claim = membership_claim(trainee=TraineeProfileFactory(), organisation=panonija)
    url = reverse("membership_claims:decide", args=[claim.pk])

    response = admin_client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200
    assert "Say why the claim is refused." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.PENDING

    admin_client.post(url, {"decision": "refuse", "reason": "Left the company"})
    claim.refresh_from_db()
    assert (claim.status, claim.note) == (Status.REFUSED, "Left the company")


def test_only_academy_admins_decide_claims(client, panonija):
    from academy_site.roles import INSTRUCTOR, grant_role

    claim = membership_claim(trainee=TraineeProfileFactory(), organisation=panonija)
    instructor = UserFactory(is_staff=True)
    grant_role(user=instructor, role=INSTRUCTOR)
    client.force_login(instructor)

    url = reverse("membership_claims:decide", args=[claim.pk])
    assert client.post(url, {"decision": "confirm"}).status_code in (302, 403)
    claim.refresh_from_db()
    assert claim.status == Status.PENDING


def test_the_profile_says_where_the_claim_stands(client, panonija):
    trainee = TraineeProfileFactory(organisation=panonija, confirmed=False)
    client.force_login(trainee.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "waiting for confirmation; until then you pay the non-member price" in page


# --- Races (PostgreSQL) -----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_confirming_at_once_make_one_decision(panonija):
    """Round after round, two admins confirm one claim at the same instant:
    the claim row's lock makes the second see the first's decision, so there
    is one decision and one audit entry per claim."""
    rounds = 20
    admins = [UserFactory(is_superuser=True), UserFactory(is_superuser=True)]
    for _ in range(rounds):
        claim = membership_claim(trainee=TraineeProfileFactory(), organisation=panonija)
        barrier = threading.Barrier(2)
        failures = []

        def confirm(admin, claim=claim, barrier=barrier, failures=failures):
            try:
                barrier.wait(timeout=30)
                membership_confirm(claim=claim, by=admin)
            except Exception as error:  # noqa: BLE001 - reported below
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm, args=(a,)) for a in admins]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not failures, failures
        claim.refresh_from_db()
        assert claim.status == Status.CONFIRMED
        assert claim.decided_by in admins
    entries = ModelLogEntry.objects.filter(action="academy.membership.confirm")
    assert entries.count() == rounds


def organisation_form(organisation, domains: list[tuple[str, bool]]) -> dict:
    data = {
        "name": organisation.name,
        "pib": organisation.pib,
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "address": "",
        "membership_periods-TOTAL_FORMS": "0",
        "membership_periods-INITIAL_FORMS": "0",
        "membership_periods-MIN_NUM_FORMS": "0",
        "membership_periods-MAX_NUM_FORMS": "1000",
        "domains-TOTAL_FORMS": str(len(domains)),
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
    }
    for i, (domain, public_ok) in enumerate(domains):
        data[f"domains-{i}-domain"] = domain
        data[f"domains-{i}-ORDER"] = str(i)
        if public_ok:
            data[f"domains-{i}-public_provider_accepted"] = "on"
    return data


def test_the_organisation_editor_refuses_a_public_domain_and_new_domains_confirm(
    admin_client,
):
    organisation = OrganisationFactory(name="Novi Kod d.o.o.")
    waiting = TraineeProfileFactory(
        user=UserFactory(email="mila@novikod.rs"),
        organisation=organisation,
        confirmed=False,
    )
    edit = reverse(
        "wagtailsnippets_enrolments_organisation:edit", args=[organisation.pk]
    )

    refused = admin_client.post(
        edit, organisation_form(organisation, [("gmail.com", False)])
    )
    assert refused.status_code == 200
    assert "gmail.com is a public mail provider" in refused.content.decode()
    assert not OrganisationDomain.objects.exists()

    saved = admin_client.post(
        edit, organisation_form(organisation, [("NoviKod.rs", False)])
    )
    assert saved.status_code == 302
    assert list(OrganisationDomain.objects.values_list("domain", flat=True)) == [
        "novikod.rs"
    ]
    claim = MembershipClaim.objects.get(trainee=waiting)
    assert (claim.status, claim.method) == (Status.CONFIRMED, "domain")


def test_your_data_lists_the_organisation_claims_and_what_became_of_them(
    client, panonija
):
    trainee = TraineeProfileFactory(organisation=panonija)
    membership_claim(trainee=trainee, organisation=OrganisationFactory(name="Vega IT"))
    client.force_login(trainee.user)

    page = client.get(reverse("accounts:data")).content.decode()

    section = page[page.index("Organisation claims") :]
    assert "Panonija Soft d.o.o." in section and "Ended" in section
    assert "Vega IT" in section and "Waiting for confirmation" in section


def test_the_claims_report_counts_claims_by_organisation_and_how_confirmed(
    admin_client, panonija
):
    on_domain = TraineeProfileFactory(user=UserFactory(email="a@panonijasoft.rs"))
    membership_claim(trainee=on_domain, organisation=panonija)
    membership_claim(trainee=TraineeProfileFactory(), organisation=panonija)
    refused = membership_claim(trainee=TraineeProfileFactory(), organisation=panonija)
    membership_refuse(claim=refused, by=None, reason="Not ours")

    page = admin_client.get(reverse("academy_reports:claims")).content.decode()
    assert "Panonija Soft d.o.o." in page

    export = admin_client.get(reverse("academy_reports:claims") + "?export=csv")
    lines = b"".join(export.streaming_content if export.streaming else [export.content])
    rows = lines.decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("Organisation,Waiting,Confirmed,Refused,Ended")
    # Waiting 1, confirmed 1 (by domain), refused 1, ended 0; total 3.
    assert rows[1] == "Panonija Soft d.o.o.,1,1,1,0,1,0,0,0,3"


def test_the_trainees_listing_ticks_member_today_for_confirmed_staff_only(
    admin_client, panonija
):
    TraineeProfileFactory(full_name="Ana Confirmed", organisation=panonija)
    TraineeProfileFactory(
        full_name="Stefan Pending", organisation=panonija, confirmed=False
    )

    html = admin_client.get(reverse("trainees:index")).content.decode()

    def row_of(name):
        start = html.index(name)
        return html[start : html.index("</tr>", start)]

    assert "icon-check" in row_of("Ana Confirmed")
    assert "icon-check" not in row_of("Stefan Pending")
