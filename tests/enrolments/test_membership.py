"""Organisations are members for periods; a PIB is checked before it is stored."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from enrolments.models import MembershipPeriod, Organisation
from enrolments.validators import validate_pib
from tests.factories import MembershipPeriodFactory, OrganisationFactory, valid_pib

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("pib", ["101134702", valid_pib(12345678)])
def test_valid_pib_is_accepted(pib):
    validate_pib(pib)


@pytest.mark.parametrize(
    "pib, message",
    [
        ("10113470", "A PIB has exactly 9 digits."),
        ("1011347021", "A PIB has exactly 9 digits."),
        ("10113470X", "A PIB has exactly 9 digits."),
        ("101134703", "This PIB's check digit is wrong; please check it for a typo."),
    ],
)
def test_invalid_pib_is_refused_with_a_clear_message(pib, message):
    with pytest.raises(ValidationError) as error:
        Organisation(name="Firma", pib=pib).full_clean()
    assert message in error.value.message_dict["pib"]


def test_pib_is_unique():
    OrganisationFactory(pib="101134702")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Copy", pib="101134702")


def test_membership_is_computed_for_a_date():
    day = dt.date(2026, 6, 1)
    member = OrganisationFactory(name="Member")
    MembershipPeriodFactory(
        organisation=member, starts_on=dt.date(2025, 1, 1), ends_on=None
    )
    former = OrganisationFactory(name="Former")
    MembershipPeriodFactory(
        organisation=former,
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2025, 12, 31),
    )
    never = OrganisationFactory(name="Never")

    assert member.is_member_on(day)
    assert not former.is_member_on(day)
    assert former.is_member_on(dt.date(2025, 12, 31))
    assert not never.is_member_on(day)
    assert list(Organisation.objects.members_on(day)) == [member]
    assert set(Organisation.objects.members_on(dt.date(2025, 6, 1))) == {member, former}


def test_membership_cannot_end_before_it_starts():
    period = MembershipPeriod(
        organisation=OrganisationFactory(),
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "A membership cannot end before it starts." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        period.save()


@pytest.mark.parametrize("pib", ["12345678²", "١٠١١٣٤٧٠٢", "１０１１３４７０２"])
def test_a_pib_of_non_ascii_digits_is_refused_by_the_organisation_form(
    admin_client, pib
):
    # Superscript, Arabic-Indic and full-width digits pass str.isdigit; the
    # checksum's int() then fails or reads them as digits they do not look like.
    response = admin_client.post(
        reverse("wagtailsnippets_enrolments_organisation:add"),
        {
            "name": "Firma",
            "pib": pib,
            "membership_periods-TOTAL_FORMS": "0",
            "membership_periods-INITIAL_FORMS": "0",
            "membership_periods-MIN_NUM_FORMS": "0",
            "membership_periods-MAX_NUM_FORMS": "1000",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "A PIB has exactly 9 digits." in response.content.decode()
    assert not Organisation.objects.exists()
