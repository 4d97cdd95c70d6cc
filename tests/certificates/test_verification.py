"""Public verification, as an employer checking a certificate meets it: the
page the QR code opens, the check of a PDF file, and what nobody may learn
(private details, which codes exist) or do (hammer the look-up, post across
sites)."""

import datetime as dt
import io
import re
import secrets

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from PIL import Image

from certificates.forms import MAX_PDF_BYTES
from certificates.models import Certificate, Kind
from certificates.ratelimit import LOOKUPS_PER_WINDOW, WINDOW_SECONDS
from certificates.services.issuing import certificate_request
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from tests.certificates.factories import (
    certificate_template,
    completed_enrolment,
    issued_certificate,
    pdf_bytes,
)
from tests.factories import (
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/en/verify/"
NOT_FOUND = "This code is not the code of a certificate issued by the Cluster Academy."
GENUINE = "This file is a genuine certificate issued by the academy."
ALTERED = (
    "This file does not match any certificate issued by the academy: "
    "it may have been altered."
)


@pytest.fixture
def trainee(db):
    """A member's employee, so the enrolment has an organisation and a member
    price that must never appear on a public page."""
    organisation = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=organisation)
    return TraineeProfileFactory(
        full_name="Đorđe Petrović",
        organisation=organisation,
        user=UserFactory(username="djordje.petrovic@panonijasoft.example"),
    )


@pytest.fixture
def certificate(catalogue, trainee, django_capture_on_commit_callbacks):
    return issued_certificate(
        django_capture_on_commit_callbacks, catalogue, trainee=trainee
    )


@pytest.fixture
def clock(monkeypatch):
    """The rate limit's clock, at the start of a window; tests move it."""
    moment = {"now": 1_800_000_000.0}
    monkeypatch.setattr("academy_site.ratelimit.now", lambda: moment["now"])
    return moment


def day(moment: dt.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y")


def day_of(date: dt.date) -> str:
    return dateformat.format(date, "j F Y")


def text(response) -> str:
    return response.content.decode()


def post_file(client, content: bytes, name: str = "certificate.pdf", **extra):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(UPLOAD_URL, {"file": handle, **extra})


# --- The page the QR code opens -------------------------------------------------


@pytest.mark.parametrize("name", ["Đorđe Petrović", "Ђорђе Петровић"])
def test_the_page_shows_what_the_certificate_says_and_that_it_is_valid(
    client, catalogue, django_capture_on_commit_callbacks, name
):
    trainee = TraineeProfileFactory(full_name=name)
    certificate = issued_certificate(
        django_capture_on_commit_callbacks, catalogue, trainee=trainee
    )

    response = client.get(f"/en/verify/{certificate.verification_code}/")

    assert response.status_code == 200
    page = text(response)
    assert name in page
    assert "Kubernetes u produkciji" in page
    assert certificate.serial in page
    assert f"{day_of(certificate.starts_on)} – {day_of(certificate.ends_on)}" in page
    assert f"Issued on</dt>\n            <dd>{day(certificate.issued_at)}" in page
    assert "Valid: this certificate was issued by the Cluster Academy" in page


def test_a_valid_certificate_that_expires_says_until_when(client, certificate):
    expires_at = timezone.now() + dt.timedelta(days=400)
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=expires_at)

    page = text(client.get(certificate.get_absolute_url()))

    assert f"Valid until {day(expires_at)}" in page


def test_the_page_never_shows_e_mail_organisation_membership_or_price(
    client, certificate, trainee
):
    enrolment = certificate.enrolment
    assert enrolment.is_member and enrolment.price  # there is something to leak

    page = text(client.get(certificate.get_absolute_url())).lower()

    assert trainee.user.email not in page
    assert "panonijasoft" not in page
    assert "panonija soft" not in page
    # Whole words: the page's random strings (the CSP nonce, the code, the
    # SHA-256) may hold "rsd" or a price's digits by chance.
    for word in ("member", "members", "membership", "price", "rsd", "grade", "score"):
        assert not re.search(rf"\b{word}\b", page), word
    price = f"{enrolment.price:f}".split(".")[0]
    assert not re.search(rf"\b{price}\b", page.replace(".", "").replace(",", ""))
    assert certificate.pdf.name not in page  # no storage URL either


def test_a_revoked_certificate_says_so_with_the_date_but_not_the_reason(
    client, certificate
):
    revoked = certificate_revoke(
        certificate=certificate, by=None, reason="Plagiarised final project"
    )

    page = text(client.get(certificate.get_absolute_url()))

    assert f"Revoked on {day(revoked.revoked_at)}" in page
    assert "no longer valid" in page
    assert "Plagiarised" not in page
    assert "Valid:" not in page


def test_a_superseded_certificate_says_it_was_replaced_without_linking_the_new_one(
    client, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(
            certificate=certificate, by=None, full_name="Đorđe Petrović Jr."
        )
    new.refresh_from_db()
    assert new.status == Certificate.Status.ISSUED

    page = text(client.get(certificate.get_absolute_url()))

    assert "replaced by a newer certificate" in page
    assert new.verification_code not in page
    assert new.serial not in page
    assert "Petrović Jr." not in page
    assert "Valid" in text(client.get(new.get_absolute_url()))


def test_a_certificate_reissued_to_the_same_name_links_its_replacement(
    client, certificate, django_capture_on_commit_callbacks
):
    """A reissue that corrects the course title or the kind, not the name:
    whoever checks the old one is led to the one that stands."""
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(certificate=certificate, by=None)
    new.refresh_from_db()
    assert new.full_name == certificate.full_name

    html = client.get(certificate.get_absolute_url()).content.decode()

    assert "replaced by a newer certificate" in html
    assert f'<a href="{new.get_absolute_url()}">' in html
    assert "See the certificate that replaced it" in html


def test_an_expired_certificate_says_so_with_the_date(client, certificate):
    expired_at = timezone.now() - dt.timedelta(days=3)
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=expired_at)

    page = text(client.get(certificate.get_absolute_url()))

    assert f"Expired on {day(expired_at)}" in page
    assert "Valid" not in page


@pytest.mark.parametrize(
    "status", [Certificate.Status.PENDING, Certificate.Status.FAILED]
)
def test_a_certificate_being_generated_or_failed_is_not_issued(
    client, catalogue, status
):
    certificate_template(Kind.COMPLETION)
    enrolment = completed_enrolment(catalogue)
    # Outside a captured commit, the render task never runs: it stays pending.
    certificate = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    Certificate.objects.filter(pk=certificate.pk).update(status=status)

    page = text(client.get(certificate.get_absolute_url()))

    assert "Not issued" in page
    assert "Issued on" not in page
    assert "Valid" not in page


# --- Codes that are not certificates ---------------------------------------------


def altered_codes(code: str) -> dict[str, str]:
    last = "A" if code[-1] != "A" else "B"
    return {
        "forged": secrets.token_urlsafe(24),
        "unknown": "this-is-not-a-certificate-code",
        "one character off": code[:-1] + last,
        "prefix": code[:-1],
        "other case": code.swapcase(),
        "longer": code + "x",
        "too short": "abc",
        "markup": "<img src=x onerror=alert(1)>",
        "too long": "a" * 200,
    }


@pytest.mark.parametrize(
    "kind",
    [
        "forged",
        "unknown",
        "one character off",
        "prefix",
        "other case",
        "longer",
        "too short",
        "markup",
        "too long",
    ],
)
def test_a_code_that_is_not_exactly_a_certificates_gets_the_same_404(
    client, certificate, kind
):
    code = altered_codes(certificate.verification_code)[kind]

    response = client.get(reverse("certificates:verify", args=[code]))

    assert response.status_code == 404
    page = text(response)
    assert NOT_FOUND in page
    assert certificate.serial not in page
    assert certificate.full_name not in page
    assert "<img src=x" not in page
    assert "noindex" in response["X-Robots-Tag"]


def test_verification_pages_are_never_indexed(client, certificate):
    meta = '<meta name="robots" content="noindex, nofollow">'
    for url in (
        certificate.get_absolute_url(),
        f"/en/verify/{secrets.token_urlsafe(24)}/",
        UPLOAD_URL,
    ):
        response = client.get(url)
        assert "noindex" in response["X-Robots-Tag"], url
        assert meta in text(response), url
    cache_control = client.get(certificate.get_absolute_url())["Cache-Control"]
    assert "no-store" in cache_control


# --- The rate limit -------------------------------------------------------------


def test_lookups_past_the_limit_are_refused_until_the_window_ends(
    client, certificate, clock
):
    url = certificate.get_absolute_url()
    for _ in range(LOOKUPS_PER_WINDOW):
        assert client.get(url).status_code == 200

    refused = client.get(url)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(WINDOW_SECONDS)
    assert "Please wait 1 minute and try again." in text(refused)
    assert certificate.full_name not in text(refused)
    assert "noindex" in refused["X-Robots-Tag"]
    # Another address has its own count.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200

    clock["now"] += WINDOW_SECONDS - 15
    assert client.get(url)["Retry-After"] == "15"
    clock["now"] += 15
    assert client.get(url).status_code == 200


def test_unknown_codes_and_uploads_count_towards_the_same_limit(
    client, certificate, clock
):
    for _ in range(LOOKUPS_PER_WINDOW - 1):
        assert client.get(f"/en/verify/{secrets.token_urlsafe(24)}/").status_code == 404
    assert post_file(client, b"%PDF-1.7 not a certificate").status_code == 200

    assert client.get(certificate.get_absolute_url()).status_code == 429
    refused = post_file(client, pdf_bytes(certificate))
    assert refused.status_code == 429
    assert GENUINE not in text(refused)
    # Opening the form is not a look-up.
    assert client.get(UPLOAD_URL).status_code == 200


# --- Checking a PDF file ----------------------------------------------------------


def test_the_genuine_pdf_is_recognised_with_the_certificates_facts(client, certificate):
    response = post_file(client, pdf_bytes(certificate), name="Đorđe.pdf")

    assert response.status_code == 200
    page = text(response)
    assert GENUINE in page
    assert certificate.full_name in page
    assert certificate.serial in page
    assert "Valid: this certificate was issued" in page
    assert "djordje.petrovic@panonijasoft.example" not in page
    assert "Panonija" not in page


def test_a_genuine_file_of_a_revoked_certificate_says_it_is_revoked(
    client, certificate
):
    certificate_revoke(certificate=certificate, by=None, reason="Issued in error")

    page = text(post_file(client, pdf_bytes(certificate)))

    assert GENUINE in page
    assert "Revoked on" in page
    assert "Issued in error" not in page


def test_a_copy_with_one_byte_changed_is_not_genuine(client, certificate):
    altered = bytearray(pdf_bytes(certificate))
    altered[len(altered) // 2] ^= 0x01

    page = text(post_file(client, bytes(altered)))

    assert ALTERED in page
    assert GENUINE not in page
    assert certificate.full_name not in page
    assert certificate.serial not in page


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(client, certificate):
    image = io.BytesIO()
    Image.new("RGB", (40, 40), (11, 79, 108)).save(image, "PNG")

    response = post_file(client, image.getvalue(), name="certificate.pdf")

    assert response.status_code == 200
    page = text(response)
    assert "This is not a PDF file." in page
    assert GENUINE not in page and ALTERED not in page


def test_an_oversized_upload_is_refused_before_any_lookup(
    client, certificate, monkeypatch
):
    def not_called(**kwargs):
        raise AssertionError("an oversized file reached the look-up")

    monkeypatch.setattr(
        "certificates.views.verification.certificate_by_sha256", not_called
    )
    oversized = b"%PDF-1.7\n" + bytes(MAX_PDF_BYTES)

    response = post_file(client, oversized)

    assert response.status_code == 200
    page = text(response)
    assert "The file is larger than 10 MB" in page
    assert "This field is required" not in page


def test_the_upload_is_refused_without_the_csrf_token(certificate):
    client = Client(enforce_csrf_checks=True)

    forged = post_file(client, pdf_bytes(certificate))
    assert forged.status_code == 403

    form = text(client.get(UPLOAD_URL))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    accepted = post_file(client, pdf_bytes(certificate), csrfmiddlewaretoken=token)
    assert accepted.status_code == 200
    assert GENUINE in text(accepted)


# --- Typing a code ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["{code}", "  {code} ", "https://x.rs/verify/{code}/"]
)
def test_a_typed_code_or_pasted_link_leads_to_its_page(client, certificate, typed):
    code = certificate.verification_code

    response = client.get(UPLOAD_URL, {"code": typed.format(code=code)})

    assert response.status_code == 302
    assert response["Location"] == f"/en/verify/{code}/"


def test_something_that_cannot_be_a_code_is_explained_on_the_form(client):
    response = client.get(UPLOAD_URL, {"code": "Đorđe Petrović"})

    assert response.status_code == 200
    assert "This is not a certificate code" in text(response)


@pytest.mark.parametrize(
    "language, status, label",
    [
        ("en", "Valid: this certificate was issued", "Serial number"),
        ("sr-latn", "Važeći: ovaj sertifikat je izdala", "Serijski broj"),
        ("sr", "Важећи: овај сертификат је издала", "Серијски број"),
    ],
)
def test_the_verification_page_speaks_three_languages(
    client, certificate, language, status, label
):
    html = client.get(
        f"/{language}/verify/{certificate.verification_code}/"
    ).content.decode()
    assert status in html and label in html
    assert f'<html lang="{language}">' in html


def test_the_qr_codes_address_opens_in_the_readers_language(client, certificate):
    code = certificate.verification_code
    response = client.get(f"/verify/{code}/", HTTP_ACCEPT_LANGUAGE="sr-RS,sr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == f"/sr/verify/{code}/"
