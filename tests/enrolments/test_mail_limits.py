"""Nobody can flood an inbox through the forms that send an e-mail on
request: sign-up, a new confirmation link, a password reset on the site and
in the admin. The 6th request in a minute from one client address, and the
4th in an hour for one e-mail address, are refused with a clear message, and
nothing is sent; when the window ends, requests go through again."""

from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from academy_site import ratelimit
from enrolments.accounts import throttling
from enrolments.models import TraineeProfile
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-2026"
REFUSAL = "Too many requests, so no e-mail was sent."


@pytest.fixture(autouse=True)
def clock():
    """The limiter's clock at the start of an hour; tests move it on."""
    current = {"now": 1_800_000_000.0}
    assert current["now"] % throttling.MAIL_EMAIL_WINDOW == 0
    with mock.patch.object(ratelimit, "now", lambda: current["now"]):
        yield current


def client_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def post(client, url, data, capture):
    with capture(execute=True):
        return client.post(url, data)


def sign_up_data(email: str) -> dict:
    return {
        "email": email,
        "full_name": "Jovana Jovanović",
        "organisation": "",
        "preferred_language": TraineeProfile.Language.ENGLISH,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def trainee(email: str, *, is_active=True):
    user = UserFactory(username=email, email=email, is_active=is_active)
    TraineeProfileFactory(user=user)
    return user


def test_the_sixth_sign_up_in_a_minute_from_one_address_is_refused(
    django_capture_on_commit_callbacks, clock
):
    client = client_from("203.0.113.7")
    url = reverse("accounts:sign_up")
    for number in range(5):
        response = post(
            client,
            url,
            sign_up_data(f"person{number}@firma.rs"),
            django_capture_on_commit_callbacks,
        )
        assert response.status_code == 302
    assert len(mail.outbox) == 5

    refused = post(
        client, url, sign_up_data("sixth@firma.rs"), django_capture_on_commit_callbacks
    )

    assert refused.status_code == 429
    assert REFUSAL in refused.content.decode()
    assert "Try again in 1 minute." in refused.content.decode()
    assert len(mail.outbox) == 5
    assert not TraineeProfile.objects.filter(user__email="sixth@firma.rs").exists()
    # Another address is not held back; the same one is once the minute is over.
    other = post(
        client_from("203.0.113.8"),
        url,
        sign_up_data("other@firma.rs"),
        django_capture_on_commit_callbacks,
    )
    assert other.status_code == 302
    clock["now"] += throttling.MAIL_ADDRESS_WINDOW
    again = post(
        client, url, sign_up_data("sixth@firma.rs"), django_capture_on_commit_callbacks
    )
    assert again.status_code == 302
    assert mail.outbox[-1].to == ["sixth@firma.rs"]


@pytest.mark.parametrize(
    "url_name, prepare",
    [
        ("accounts:confirm_resend", lambda: trainee("ana@firma.rs", is_active=False)),
        ("accounts:password_reset", lambda: trainee("ana@firma.rs")),
        ("wagtailadmin_password_reset", lambda: trainee("ana@firma.rs")),
    ],
)
def test_the_fourth_e_mail_to_one_address_in_an_hour_is_refused(
    django_capture_on_commit_callbacks, clock, url_name, prepare
):
    prepare()
    url = reverse(url_name)
    # From a different client address each time: the e-mail's own limit.
    for number in range(3):
        response = post(
            client_from(f"198.51.100.{number}"),
            url,
            {"email": "Ana@Firma.rs"},
            django_capture_on_commit_callbacks,
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert [m.to for m in mail.outbox] == [["ana@firma.rs"]] * 3

    refused = post(
        client_from("198.51.100.9"),
        url,
        {"email": "ana@firma.rs"},
        django_capture_on_commit_callbacks,
    )

    assert refused.status_code == 429
    assert REFUSAL in refused.content.decode()
    assert len(mail.outbox) == 3
    clock["now"] += throttling.MAIL_EMAIL_WINDOW
    later = post(
        client_from("198.51.100.9"),
        url,
        {"email": "ana@firma.rs"},
        django_capture_on_commit_callbacks,
    )
    assert later.status_code == 302
    assert len(mail.outbox) == 4


def test_an_address_without_an_account_is_limited_the_same_way(
    django_capture_on_commit_callbacks,
):
    """The limit does not tell who has an account: the 4th request for an
    unknown address is refused as for a known one."""
    url = reverse("accounts:password_reset")
    statuses = [
        post(
            client_from(f"192.0.2.{number}"),
            url,
            {"email": "nobody@firma.rs"},
            django_capture_on_commit_callbacks,
        ).status_code
        for number in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert not mail.outbox
