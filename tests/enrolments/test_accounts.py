"""Trainee accounts: sign-up with a confirmation e-mail, log-in by e-mail with
throttled failures, password reset and the profile. None of the pages may tell
a visitor whether an address has an account."""

import re
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from academy_site.outbox.models import OutboundEmail
from enrolments.accounts import services, throttling
from enrolments.accounts.tokens import CONFIRMATION_MAX_AGE, confirmation_token_make
from enrolments.models import TraineeProfile
from tests.factories import OrganisationFactory, TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct-horse-battery-2026"
NEW_PASSWORD = "Lipa-cveta-u-Novom-Sadu"
SIGN_UP = reverse("accounts:sign_up")
LOG_IN = reverse("accounts:log_in")
LOG_OUT = reverse("accounts:log_out")
PROFILE = reverse("accounts:profile")
PASSWORD_RESET = reverse("accounts:password_reset")
RESEND = reverse("accounts:confirm_resend")
GENERIC_ERROR = (
    "The e-mail or password is not correct, or the account is not confirmed yet."
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Failure counters live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    """The throttling clock, at the start of a window; tests move it on."""
    current = {"now": 1_800_000_000.0}
    assert current["now"] % throttling.WINDOW_SECONDS == 0
    with mock.patch.object(throttling, "now", lambda: current["now"]):
        yield current


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def post(client=client, **fields):
        data = {
            "email": "jovana@firma.rs",
            "full_name": "Јована Јовановић",
            "organisation": "",
            "preferred_language": TraineeProfile.Language.ENGLISH,
            "password1": PASSWORD,
            "password2": PASSWORD,
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGN_UP, data)

    return post


def trainee(email="ana@firma.rs", *, is_active=True, **kwargs):
    user = UserFactory(username=email, email=email, is_active=is_active, **kwargs)
    TraineeProfileFactory(user=user)
    return user


def log_in(client, email, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        LOG_IN, {"username": email, "password": password}, REMOTE_ADDR=address
    )


def form_errors(response):
    form = response.context["form"]
    return [error for errors in form.errors.values() for error in errors]


def link_in(message, path_start):
    match = re.search(
        rf"http://testserver((?:/[a-z-]+)?{re.escape(path_start)}\S*)", message.body
    )
    assert match, message.body
    return match.group(1)


def without_csrf(response) -> str:
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()
    )


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def logged_in_user(client):
    return client.session.get("_auth_user_id")


# Sign-up


@pytest.mark.parametrize("full_name", ["Јована Јовановић", "Đorđe Petrović"])
def test_sign_up_creates_an_inactive_user_and_profile_with_the_name_kept_exactly(
    sign_up, full_name
):
    organisation = OrganisationFactory(name="Vojvodina ICT d.o.o.")

    response = sign_up(
        email="  Jovana.Jovanovic@Firma.RS ",
        full_name=f"  {full_name}  ",
        preferred_language="sr",
        organisation=organisation.pk,
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_up_done")
    user = User.objects.get()
    assert user.username == user.email == "jovana.jovanovic@firma.rs"
    assert not user.is_active
    assert user.check_password(PASSWORD)
    assert user.trainee.full_name == full_name
    assert user.trainee.organisation == organisation
    assert user.trainee.preferred_language == "sr"


def test_sign_up_emails_a_confirmation_link_in_text_and_html(sign_up):
    sign_up()

    [message] = mail.outbox
    assert message.to == ["jovana@firma.rs"]
    assert message.subject == "Confirm your e-mail address"
    assert "Hello Јована Јовановић" in message.body
    confirm_path = link_in(message, "/account/confirm/")
    assert confirm_path in html_of(message)


@pytest.mark.parametrize(
    "language, subject, greeting",
    [
        ("sr", "Потврдите своју адресу е-поште", "Добар дан, Јована Јовановић"),
        ("sr-latn", "Potvrdite svoju adresu e-pošte", "Dobar dan, Јована Јовановић"),
    ],
)
def test_the_confirmation_is_written_in_the_language_chosen_at_sign_up(
    sign_up, language, subject, greeting
):
    sign_up(preferred_language=language)

    [message] = mail.outbox
    assert message.subject == subject
    assert greeting in message.body
    assert f'lang="{language}"' in html_of(message)
    # Its link opens the confirmation page in that language too.
    assert link_in(message, "/account/confirm/").startswith(f"/{language}/")


def test_the_confirmation_is_sent_only_once_the_account_is_committed(client):
    client.post(
        SIGN_UP,
        {
            "email": "jovana@firma.rs",
            "full_name": "Јована Јовановић",
            "preferred_language": "sr",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert User.objects.filter(username="jovana@firma.rs").exists()
    assert not mail.outbox, "the test transaction has not committed"


def test_a_mail_server_that_is_down_does_not_break_sign_up(sign_up, caplog):
    with mock.patch(
        "django.core.mail.EmailMessage.send",
        side_effect=ConnectionRefusedError,
    ):
        response = sign_up()

    assert response["Location"] == reverse("accounts:sign_up_done")
    # The e-mail waits in the outbox with the reason; the sweep retries it.
    email = OutboundEmail.objects.get(kind="account.confirm")
    assert email.status == OutboundEmail.Status.QUEUED
    assert email.attempts == 1
    assert email.last_error.startswith("ConnectionRefusedError")
    assert "not sent, attempt 1" in caplog.text


def test_a_name_is_not_html_escaped_in_the_plain_text_email(sign_up):
    sign_up(full_name="Seán O'Brien")

    [message] = mail.outbox
    assert "Hello Seán O'Brien," in message.body
    assert "O&#x27;Brien" in html_of(message)


def test_sign_up_page_offers_organisations_by_name_and_none(client):
    OrganisationFactory(name="Zeta soft")
    OrganisationFactory(name="Alfa kod")

    response = client.get(SIGN_UP)

    choices = [
        label for _, label in response.context["form"]["organisation"].field.choices
    ]
    assert choices == [
        "None / I am not employed by a registered organisation",
        "Alfa kod",
        "Zeta soft",
    ]


def test_sign_up_form_is_accessible(client):
    response = client.post(SIGN_UP, {"email": "not-an-address"})

    html = response.content.decode()
    assert 'autocomplete="email"' in html
    assert 'autocomplete="name"' in html
    assert html.count('autocomplete="new-password"') == 2
    for field in ("email", "full_name", "password1"):
        assert f'<label for="id_{field}">' in html
        assert f'id="id_{field}_error"' in html
    assert re.search(r'aria-describedby="id_email_error"', html)
    assert re.search(
        r'aria-describedby="id_full_name_helptext id_full_name_error"', html
    )


def test_sign_up_with_an_existing_email_creates_nothing_and_looks_the_same(
    sign_up, client
):
    owner = trainee("ana@firma.rs")
    users_before = User.objects.count()

    known = sign_up(client=Client(), email="ANA@firma.rs")
    mail_to_owner = list(mail.outbox)
    mail.outbox.clear()
    new = sign_up(client=Client(), email="nova@firma.rs")

    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    done_known = Client().get(known["Location"])
    done_new = Client().get(new["Location"])
    # The same page, but for the CSRF token of the language switcher's form.
    assert without_csrf(done_known) == without_csrf(done_new)
    assert "Check your inbox" in done_known.content.decode()
    assert User.objects.count() == users_before + 1
    assert TraineeProfile.objects.filter(user=owner).count() == 1
    [message] = mail_to_owner
    assert message.to == ["ana@firma.rs"]
    assert message.subject == "Someone tried to sign up with your address"
    assert "log in" in message.body
    assert "/account/password-reset/" in message.body
    assert "/account/password-reset/" in html_of(message)


def test_sign_up_service_returns_none_for_an_address_a_staff_member_uses(
    django_capture_on_commit_callbacks,
):
    UserFactory(username="admin", email="Milica@Academy.local", is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.trainee_sign_up(
            email="milica@academy.local",
            full_name="Milica Đorđević",
            organisation=None,
            preferred_language="en",
            password=PASSWORD,
        )

    assert result is None
    assert not TraineeProfile.objects.exists()
    assert [m.subject for m in mail.outbox] == [
        "Someone tried to sign up with your address"
    ]


@pytest.mark.parametrize(
    "password, message",
    [
        (
            "Kratka-20",
            "This password is too short. It must contain at least 12 characters.",
        ),
        ("qwertyqwerty", "This password is too common."),
        ("204060801012", "This password is entirely numeric."),
        ("jovana@firma.rs!", "The password is too similar to the email address."),
    ],
)
def test_weak_passwords_are_refused_with_djangos_message(sign_up, password, message):
    response = sign_up(password1=password, password2=password)

    assert response.status_code == 200
    assert message in response.context["form"].errors["password1"]
    assert not User.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    "password, reason",
    [
        ("aaaaaaaaaaaa", "it repeats the same characters or words"),
        ("passwordpassword", "it repeats the same characters or words"),
        ("qwertyuiopas", "it is, or is close to, a commonly used password"),
        (
            "akademija2026",
            "it is mostly your name, your e-mail address or the academy's name",
        ),
        (
            "Jovanovic-2026",
            "it is mostly your name, your e-mail address or the academy's name",
        ),
    ],
)
def test_easily_guessed_passwords_are_refused_with_the_reason(
    sign_up, password, reason
):
    response = sign_up(password1=password, password2=password)

    assert response.status_code == 200
    assert (
        f"This password is too easy to guess: {reason}. Three or four uncommon "
        "words together are both strong and easy to remember."
    ) in response.context["form"].errors["password1"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "language, message",
    [
        ("sr-latn", "Ovu lozinku je lako pogoditi: ponavlja iste znakove ili reči."),
        ("sr", "Ову лозинку је лако погодити: понавља исте знакове или речи."),
    ],
)
def test_the_strength_message_is_in_the_readers_language(language, message):
    with translation.override(language), pytest.raises(ValidationError) as error:
        password_validation.validate_password("aaaaaaaaaaaa")
    assert any(text.startswith(message) for text in error.value.messages)


@pytest.mark.parametrize(
    "password", [PASSWORD, NEW_PASSWORD, "Ćevapčići-na-Kalemegdanu", "Tr0ub4dour&3x"]
)
def test_a_strong_password_passes_every_check(password):
    password_validation.validate_password(
        password, User(email="jovana@firma.rs", first_name="Јована Јовановић")
    )


def test_passwords_that_differ_are_refused(sign_up):
    response = sign_up(password2=PASSWORD + "x")

    assert response.context["form"].errors["password2"] == [
        "The two passwords are not the same."
    ]
    assert not User.objects.exists()


def test_a_blank_full_name_is_refused(sign_up):
    response = sign_up(full_name="   ")

    assert response.context["form"].errors["full_name"]
    assert not User.objects.exists()


@pytest.mark.parametrize("full_name", ["\u200b\u200b", "\u2060", "\ufeff", "\u3164"])
def test_a_name_with_no_visible_letter_is_refused_at_sign_up(sign_up, full_name):
    response = sign_up(full_name=full_name)

    assert response.status_code == 200
    [message] = response.context["form"].errors["full_name"]
    assert message.startswith("A name needs at least one visible letter")
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_direction_changing_characters_are_removed_from_a_name_at_sign_up(sign_up):
    sign_up(full_name="Marko \u202ePetrović\u202c")

    assert TraineeProfile.objects.get().full_name == "Marko Petrović"


def test_a_name_keeps_its_letters_but_tabs_and_double_spaces_become_one_space():
    # A tab or newline would print as an empty box on the certificate.
    decomposed = "C\u030cedomir"  # C + combining caron: one Č after NFC
    assert (
        services.full_name_normalise(f"  {decomposed}\t Jovanović\n ")
        == "Čedomir Jovanović"
    )


# Confirmation


def post_sign_up(client, capture, query: str):
    with capture(execute=True):
        return client.post(
            f"{SIGN_UP}?{query}",
            {
                "email": "jovana@firma.rs",
                "full_name": "Jovana Jovanović",
                "organisation": "",
                "preferred_language": TraineeProfile.Language.SERBIAN_LATIN,
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )


def test_confirming_leads_back_to_the_page_the_visitor_signed_up_from(
    client, django_capture_on_commit_callbacks
):
    post_sign_up(
        client, django_capture_on_commit_callbacks, "next=/courses/go/%3Frun%3D3"
    )
    confirm_path = link_in(mail.outbox[0], "/account/confirm/")

    response = Client().post(confirm_path)

    assert response.status_code == 302
    assert response["Location"] == "/courses/go/?run=3"


@pytest.mark.parametrize(
    "next_value",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "courses"],
)
def test_confirming_never_leads_off_the_site(
    client, django_capture_on_commit_callbacks, next_value
):
    from urllib.parse import urlencode

    post_sign_up(
        client, django_capture_on_commit_callbacks, urlencode({"next": next_value})
    )
    confirm_path = link_in(mail.outbox[0], "/account/confirm/")

    response = Client().post(confirm_path)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_log_in_pages_sign_up_link_carries_the_way_back(client):
    body = client.get(reverse("accounts:log_in") + "?next=/courses/go/").content
    assert b'href="/en/account/sign-up/?next=/courses/go/"' in body


def test_confirmation_link_activates_the_account_and_logs_in(sign_up):
    sign_up()
    confirm_path = link_in(mail.outbox[0], "/account/confirm/")
    client = Client()

    page = client.get(confirm_path)
    assert page.status_code == 200
    assert not User.objects.get().is_active, "opening the link alone changes nothing"
    response = client.post(confirm_path, follow=True)

    user = User.objects.get()
    assert user.is_active
    assert logged_in_user(client) == str(user.pk)
    assert response.redirect_chain[0] == ("/", 302)
    assert "Your e-mail address is confirmed and you are logged in." in [
        str(m) for m in response.context["messages"]
    ]


def test_confirmation_link_works_once(sign_up):
    sign_up()
    confirm_path = link_in(mail.outbox[0], "/account/confirm/")
    Client().post(confirm_path)

    again = Client()
    response = again.post(confirm_path)

    assert "This link is not valid" in response.content.decode()
    assert logged_in_user(again) is None


def test_a_tampered_confirmation_link_is_refused_with_a_way_to_get_a_new_one(
    sign_up,
):
    sign_up()
    confirm_path = link_in(mail.outbox[0], "/account/confirm/")
    tampered = confirm_path.replace("/confirm/", "/confirm/x", 1)

    for response in (Client().get(tampered), Client().post(tampered)):
        html = response.content.decode()
        assert "This link is not valid" in html
        assert f'href="{RESEND}"' in html
    assert not User.objects.get().is_active


def test_an_expired_confirmation_link_is_refused():
    user = trainee("late@firma.rs", is_active=False)
    made_at = time.time() - CONFIRMATION_MAX_AGE.total_seconds() - 60
    with mock.patch("django.core.signing.time.time", return_value=made_at):
        token = confirmation_token_make(user)
    client = Client()

    response = client.post(reverse("accounts:confirm", args=[token]))

    assert "This link is not valid" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert logged_in_user(client) is None


def test_a_link_made_just_within_three_days_still_works():
    user = trainee("slow@firma.rs", is_active=False)
    made_at = time.time() - CONFIRMATION_MAX_AGE.total_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=made_at):
        token = confirmation_token_make(user)

    Client().post(reverse("accounts:confirm", args=[token]))

    user.refresh_from_db()
    assert user.is_active


def test_resend_gives_the_same_answer_and_mails_only_an_unconfirmed_account(
    django_capture_on_commit_callbacks,
):
    trainee("waiting@firma.rs", is_active=False)
    trainee("active@firma.rs")
    trainee("blocked@firma.rs", is_active=False, last_login=timezone.now())

    responses = []
    for email in ("Waiting@Firma.rs", "active@firma.rs", "blocked@firma.rs", "x@y.rs"):
        with django_capture_on_commit_callbacks(execute=True):
            responses.append(Client().post(RESEND, {"email": email}))

    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("accounts:confirm_resend_done"))
    }
    [message] = mail.outbox
    assert message.to == ["waiting@firma.rs"]
    Client().post(link_in(message, "/account/confirm/"))
    assert User.objects.get(username="waiting@firma.rs").is_active


# Log-in and log-out


@pytest.mark.parametrize("typed", ["ana@firma.rs", "ANA@Firma.RS", " Ana@firma.rs "])
def test_log_in_by_email_in_any_case(client, typed):
    user = trainee("ana@firma.rs")

    response = log_in(client, typed)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user(client) == str(user.pk)


def test_an_unconfirmed_account_and_a_wrong_password_get_the_same_error():
    trainee("ana@firma.rs")
    trainee("new@firma.rs", is_active=False)

    attempts = [
        ("ana@firma.rs", "not-the-password"),
        ("new@firma.rs", PASSWORD),
        ("nobody@firma.rs", PASSWORD),
    ]
    for email, password in attempts:
        client = Client()
        response = log_in(client, email, password=password)

        assert response.status_code == 200
        assert form_errors(response) == [GENERIC_ERROR]
        assert GENERIC_ERROR in response.content.decode()
        assert logged_in_user(client) is None


def test_log_in_page_is_accessible(client):
    html = log_in(client, "nobody@firma.rs").content.decode()

    assert '<label for="id_username">E-mail</label>' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert 'role="alert"' in html


def test_next_is_followed_to_this_site_and_ignored_for_another_host(client):
    trainee("ana@firma.rs")

    internal = client.post(
        f"{LOG_IN}?next=/courses/", {"username": "ana@firma.rs", "password": PASSWORD}
    )
    external = Client().post(
        f"{LOG_IN}?next=https://evil.example/steal",
        {"username": "ana@firma.rs", "password": PASSWORD},
    )

    assert internal["Location"] == "/courses/"
    assert external["Location"] == "/"


def test_log_out_requires_post(client):
    user = trainee("ana@firma.rs")
    client.force_login(user)

    assert client.get(LOG_OUT).status_code == 405
    assert logged_in_user(client) == str(user.pk)
    response = client.post(LOG_OUT)

    assert response.status_code == 302
    assert logged_in_user(client) is None


def test_a_post_without_a_csrf_token_is_refused():
    trainee("ana@firma.rs")
    client = Client(enforce_csrf_checks=True)

    response = log_in(client, "ana@firma.rs")

    assert response.status_code == 403
    assert logged_in_user(client) is None


def test_the_admin_log_in_still_works_for_staff(client):
    UserFactory(
        username="admin", email="admin@academy.local", is_staff=True, is_superuser=True
    )

    assert client.get("/admin/").url.startswith("/admin/login/")
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# Throttling


def test_the_sixth_attempt_for_an_account_is_refused_even_with_the_right_password(
    clock,
):
    user = trainee("ana@firma.rs")
    trainee("bob@firma.rs")
    for _ in range(throttling.FAILURES_PER_ACCOUNT):
        log_in(Client(), "ana@firma.rs", password="guess", address="10.0.0.1")

    refused = Client()
    response = log_in(refused, "ana@firma.rs", address="10.0.0.1")
    from_elsewhere = log_in(Client(), "ana@firma.rs", address="10.9.9.9")
    other_account = Client()
    other = log_in(other_account, "bob@firma.rs", address="10.9.9.9")

    assert form_errors(response) == ["Too many attempts. Try again in 15 minutes."]
    assert logged_in_user(refused) is None
    assert form_errors(from_elsewhere) == [
        "Too many attempts. Try again in 15 minutes."
    ]
    assert other.status_code == 302
    assert logged_in_user(other_account) is not None
    user.refresh_from_db()
    assert user.last_login is None


def test_a_right_password_gives_its_reservation_back(clock):
    trainee("ana@firma.rs")
    for _ in range(throttling.FAILURES_PER_ACCOUNT - 1):
        log_in(Client(), "ana@firma.rs", password="guess")

    # Only failures count: the owner logs in again and again within the window.
    for _ in range(3):
        client = Client()
        assert log_in(client, "ana@firma.rs").status_code == 302
        assert logged_in_user(client) is not None

    log_in(Client(), "ana@firma.rs", password="guess")
    assert form_errors(log_in(Client(), "ana@firma.rs")) == [
        "Too many attempts. Try again in 15 minutes."
    ]


def test_a_refused_attempt_does_not_check_the_password(clock):
    trainee("ana@firma.rs")
    for _ in range(throttling.FAILURES_PER_ACCOUNT):
        log_in(Client(), "ana@firma.rs", password="guess")

    with mock.patch("enrolments.accounts.forms.authenticate") as authenticate:
        log_in(Client(), "ana@firma.rs")

    authenticate.assert_not_called()


def test_failures_from_one_address_are_limited_across_accounts(clock):
    trainee("ana@firma.rs")
    for n in range(throttling.FAILURES_PER_ADDRESS):
        log_in(Client(), f"guess{n}@firma.rs", password="guess", address="10.0.0.7")

    blocked = log_in(Client(), "ana@firma.rs", address="10.0.0.7")
    elsewhere = log_in(Client(), "ana@firma.rs", address="10.0.0.8")

    assert form_errors(blocked) == ["Too many attempts. Try again in 15 minutes."]
    assert elsewhere.status_code == 302


def test_unknown_emails_are_throttled_exactly_like_known_ones(clock):
    trainee("ana@firma.rs")
    answers = {}
    for email in ("ana@firma.rs", "nobody@firma.rs"):
        answers[email] = [
            form_errors(log_in(Client(), email, password="guess"))
            for _ in range(throttling.FAILURES_PER_ACCOUNT + 1)
        ]

    assert answers["ana@firma.rs"] == answers["nobody@firma.rs"]
    assert answers["nobody@firma.rs"][-1] == [
        "Too many attempts. Try again in 15 minutes."
    ]


def test_the_wait_shrinks_and_the_counters_expire_with_the_window(clock):
    trainee("ana@firma.rs")
    for _ in range(throttling.FAILURES_PER_ACCOUNT):
        log_in(Client(), "ana@firma.rs", password="guess")

    clock["now"] += 14 * 60 + 30
    nearly = log_in(Client(), "ana@firma.rs")
    clock["now"] += 30
    later = Client()
    response = log_in(later, "ana@firma.rs")

    assert form_errors(nearly) == ["Too many attempts. Try again in 1 minute."]
    assert response.status_code == 302
    assert logged_in_user(later) is not None


def test_a_password_reset_clears_the_account_counter(
    clock, django_capture_on_commit_callbacks
):
    trainee("ana@firma.rs")
    for _ in range(throttling.FAILURES_PER_ACCOUNT):
        log_in(Client(), "ana@firma.rs", password="guess")
    assert "Too many" in form_errors(log_in(Client(), "ana@firma.rs"))[0]

    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PASSWORD_RESET, {"email": "ana@firma.rs"})
    set_password = client.get(link_in(mail.outbox[0], "/account/password-reset/"))
    client.post(
        set_password["Location"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    after = Client()
    response = log_in(after, "ANA@firma.rs", password=NEW_PASSWORD)

    assert response.status_code == 302
    assert logged_in_user(after) is not None


# Password reset


def test_password_reset_answers_the_same_and_mails_only_a_known_address(
    django_capture_on_commit_callbacks,
):
    trainee("ana@firma.rs")

    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(PASSWORD_RESET, {"email": "Ana@Firma.rs"})
        unknown = Client().post(PASSWORD_RESET, {"email": "nobody@firma.rs"})

    assert (known.status_code, known["Location"]) == (
        unknown.status_code,
        unknown["Location"],
    )
    assert known["Location"] == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    assert message.to == ["ana@firma.rs"]
    assert message.subject == "Reset your Cluster Academy password"
    assert link_in(message, "/account/password-reset/") in html_of(message)


def test_password_reset_sets_a_new_password_and_the_link_works_once(
    client, django_capture_on_commit_callbacks
):
    user = trainee("ana@firma.rs")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PASSWORD_RESET, {"email": "ana@firma.rs"})
    reset_path = link_in(mail.outbox[0], "/account/password-reset/")

    set_password = client.get(reset_path)
    form_page = client.get(set_password["Location"])
    assert 'autocomplete="new-password"' in form_page.content.decode()
    done = client.post(
        set_password["Location"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    again = Client().get(reset_path)
    assert "This link is not valid" in again.content.decode()


# Profile


def test_the_profile_requires_log_in(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"{LOG_IN}?next={PROFILE}"


def test_profile_changes_are_saved(client):
    user = trainee("ana@firma.rs")
    organisation = OrganisationFactory()
    client.force_login(user)

    page = client.get(PROFILE)
    assert page.context["form"].initial["full_name"] == "Đorđe Petrović"
    with mock.patch.object(
        services, "trainee_profile_update", wraps=services.trainee_profile_update
    ) as update:
        response = client.post(
            PROFILE,
            {
                "full_name": " Ђорђе Петровић ",
                "organisation": organisation.pk,
                "preferred_language": "sr",
            },
            follow=True,
        )

    update.assert_called_once()
    profile = TraineeProfile.objects.get(user=user)
    assert profile.full_name == "Ђорђе Петровић"
    assert profile.organisation == organisation
    assert profile.preferred_language == "sr"
    assert "Your profile is saved." in [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("full_name", ["\u200b\u200b", "\u3164", "\u202e\u202c"])
def test_a_name_with_no_visible_letter_is_refused_in_the_profile(client, full_name):
    user = trainee("ana@firma.rs")
    client.force_login(user)

    response = client.post(
        PROFILE,
        {"full_name": full_name, "organisation": "", "preferred_language": "sr"},
    )

    assert response.status_code == 200
    [message] = response.context["form"].errors["full_name"]
    assert message.startswith("A name needs at least one visible letter")
    assert TraineeProfile.objects.get(user=user).full_name == "Đorđe Petrović"


def test_the_profile_service_refuses_a_name_with_no_visible_letter():
    user = trainee("ana@firma.rs")
    with pytest.raises(ValidationError) as error:
        services.trainee_profile_update(
            user=user,
            full_name="\u2060\u3164",
            organisation=None,
            preferred_language="sr",
        )
    assert "full_name" in error.value.message_dict


def test_staff_without_a_profile_get_one_on_first_save(client):
    staff = UserFactory(is_staff=True, first_name="Milica", last_name="Đorđević")
    client.force_login(staff)

    assert client.get(PROFILE).context["form"].initial == {
        "full_name": "Milica Đorđević"
    }
    client.post(
        PROFILE,
        {
            "full_name": "Milica Đorđević",
            "organisation": "",
            "preferred_language": "en",
        },
    )

    profile = TraineeProfile.objects.get(user=staff)
    assert profile.full_name == "Milica Đorđević"
    assert profile.organisation is None


def test_the_profile_service_refuses_a_blank_name():
    user = trainee("ana@firma.rs")

    with pytest.raises(ValidationError):
        services.trainee_profile_update(
            user=user, full_name="  ", organisation=None, preferred_language="en"
        )


def test_a_logged_in_user_can_change_the_password(client):
    user = trainee("ana@firma.rs")
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response["Location"] == PROFILE
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user(client) == str(user.pk)


# Header


def test_header_offers_log_in_and_sign_up_to_visitors(client):
    html = client.get(LOG_IN).content.decode()

    assert f'href="{LOG_IN}"' in html
    assert f'href="{SIGN_UP}"' in html
    assert "Staff log-in" not in html
    assert "Log out" not in html


def test_header_offers_profile_and_a_log_out_form_to_trainees(client):
    client.force_login(trainee("ana@firma.rs"))

    html = client.get(PROFILE).content.decode()

    assert f'href="{PROFILE}"' in html
    assert re.search(
        rf'<form method="post" action="{LOG_OUT}">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"',
        html,
    )
    assert 'href="/admin/"' not in html
    assert f'href="{SIGN_UP}"' not in html


def test_header_keeps_the_admin_link_for_staff(client):
    client.force_login(UserFactory(is_staff=True))

    html = client.get(PROFILE).content.decode()

    assert 'href="/admin/"' in html
    assert "Log out" in html


def test_the_admin_log_in_is_throttled_too(client):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    for _ in range(throttling.FAILURES_PER_ACCOUNT):
        response = client.post("/admin/login/", {"username": "admin", "password": "x"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("language", ["en", "sr-latn", "sr"])
def test_the_sign_up_form_offers_the_language_it_is_read_in(client, language):
    response = client.get(f"/{language}/account/sign-up/")
    assert response.context["form"]["preferred_language"].initial == language


def test_the_confirmation_link_opens_the_site_at_the_address_it_is_served(
    sign_up, settings, client
):
    """`make run PORT=8301` serves at 8301 (academy_site/links.py): the link in
    the e-mail must not point at 8000."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8301/"
    sign_up()

    [message] = mail.outbox
    assert "http://127.0.0.1:8301/en/account/confirm/" in message.body
    assert "127.0.0.1:8000" not in message.body + html_of(message)
