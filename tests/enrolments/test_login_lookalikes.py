"""One normalisation of e-mail addresses for the log-in limit and the account
lookup: an address either names the account and counts against its limit, or
names no account and cannot log in to it. Run on SQLite and on PostgreSQL,
whose case-insensitive comparison upper-cases the dotless 'ı' to 'I'."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from enrolments.accounts import throttling
from enrolments.accounts.selectors import email_normalise, user_for_email
from enrolments.accounts.services import trainee_sign_up
from tests.enrolments.test_accounts import (
    PASSWORD,
    form_errors,
    log_in,
    logged_in_user,
    trainee,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
ACCOUNT = "kasia.simic@firma.rs"
THROTTLED = "Too many attempts. Try again in 15 minutes."

# Addresses a database or a font makes look like ACCOUNT. The first group is
# the same address after NFKC and case folding: it must count against the
# account's limit. The second is a different address: it must never log in.
SAME_ADDRESS = [
    "\u212aasia.simic@firma.rs",  # KELVIN SIGN for K
    "kasia.\u017fimic@firma.rs",  # LATIN SMALL LETTER LONG S
    "KASIA.SIMIC@FIRMA.RS",
    "kasia.simic@\ufb01rma.rs",  # the ligature fi
    " Kasia.Simic@Firma.rs ",
]
OTHER_ADDRESS = [
    "kas\u0131a.simic@firma.rs",  # LATIN SMALL LETTER DOTLESS I
    "KAS\u0130A.SIMIC@FIRMA.RS",  # LATIN CAPITAL LETTER I WITH DOT ABOVE
    "kasia.s\u0131mic@firma.rs",
    "kasıa.ſımıc@fırma.rs",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def account(clock):
    return trainee(ACCOUNT)


@pytest.fixture
def clock():
    from unittest import mock

    current = {"now": 1_800_000_000.0}
    with mock.patch.object(throttling, "now", lambda: current["now"]):
        yield current


@pytest.mark.parametrize("address", SAME_ADDRESS)
def test_a_same_address_logs_in_and_counts_against_the_account(account, address):
    assert email_normalise(address) == ACCOUNT
    assert user_for_email(email=address) == account
    for _ in range(throttling.FAILURES_PER_ACCOUNT):
        log_in(Client(), ACCOUNT, password="guess", address="10.0.0.1")

    refused = Client()
    response = log_in(refused, address, address="10.9.9.9")

    assert form_errors(response) == [THROTTLED]
    assert logged_in_user(refused) is None


@pytest.mark.parametrize("address", SAME_ADDRESS)
def test_a_same_address_logs_in_with_the_right_password(account, address):
    client = Client()
    response = log_in(client, address)
    assert response.status_code == 302
    assert logged_in_user(client) == str(account.pk)


@pytest.mark.parametrize("address", OTHER_ADDRESS)
def test_a_look_alike_address_never_logs_in_to_the_account(account, address):
    assert user_for_email(email=address) is None
    for _ in range(throttling.FAILURES_PER_ACCOUNT):
        log_in(Client(), ACCOUNT, password="guess", address="10.0.0.1")

    # Fresh attempts under the look-alike's own key, with the right password.
    client = Client()
    response = log_in(client, address, address="10.9.9.9")

    assert response.status_code == 200
    assert THROTTLED not in form_errors(response)
    assert logged_in_user(client) is None
    account.refresh_from_db()
    assert account.last_login is None


def test_sign_up_stores_the_normalised_address_and_sees_the_same_one_as_taken(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        user = trainee_sign_up(
            email="\u212aASIA.\u017fIMIC@FIRMA.RS",
            full_name="Kasia Simić",
            organisation=None,
            preferred_language="en",
            password=PASSWORD,
        )
        again = trainee_sign_up(
            email=ACCOUNT,
            full_name="Kasia Simić",
            organisation=None,
            preferred_language="en",
            password=PASSWORD,
        )

    assert (user.username, user.email) == (ACCOUNT, ACCOUNT)
    assert again is None
    assert User.objects.count() == 1


def test_an_address_stored_in_another_form_is_found_by_its_normal_form(clock):
    # Staff may type an address with capitals in the admin's user editor.
    user = trainee("Kasia.Simic@Firma.RS")
    assert user_for_email(email="\u212aasia.simic@firma.rs") == user


def test_the_migration_normalises_stored_addresses_without_taking_anothers(clock):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("enrolments.migrations.0007_email_addresses_normalised")
    odd = trainee("\u212aasia.\u017fimic@firma.rs")
    taken = trainee("ana@firma.rs")
    clash = user_with_address("ANA@firma.rs")
    staff = user_with_address("Office", email="Office@Academy.example")

    migration.addresses_normalise(apps, None)

    for user in (odd, taken, clash, staff):
        user.refresh_from_db()
    assert (odd.username, odd.email) == (ACCOUNT, ACCOUNT)
    assert taken.username == "ana@firma.rs"
    assert clash.username == "ANA@firma.rs"  # the normal form is another's
    assert clash.email == "ana@firma.rs"
    assert (staff.username, staff.email) == ("Office", "office@academy.example")


def user_with_address(username, email=None):
    from tests.factories import UserFactory

    return UserFactory(username=username, email=email or username)
