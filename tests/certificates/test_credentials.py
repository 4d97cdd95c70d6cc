"""Open Badges 3.0 credentials: every issued certificate carries one, signed
in the worker with the PDF as a VC-JOSE compact JWS (EdDSA, Ed25519) and
checked here with joserfc, an implementation independent of the
`cryptography` calls that sign it, against the key read from
/.well-known/did.json over HTTP. Tampered tokens, other keys, `alg: none`
and unknown keys are refused with a reason; a rotated key stays listed."""

import base64
import gzip
import html
import io
import json
import re
import urllib.parse
import urllib.request
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from joserfc import jws as joserfc_jws
from joserfc.jwk import KeySet

from certificates.credentials import jws
from certificates.credentials.keys import issuer_did
from certificates.models import Certificate, IssuerKey
from certificates.services.credentials import (
    credential_revoked,
    credential_verify,
    did_document,
)
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from certificates.services.rendering import certificate_generate
from enrolments.services.privacy import trainee_erase
from tests.certificates.factories import issued_certificate
from tests.factories import TraineeProfileFactory, UserFactory


def b64(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def joserfc_verify(token: str, document: dict) -> dict:
    """Verify with joserfc and the keys of a DID document, as a verifier
    that has never seen the academy's code would."""
    keys = KeySet.import_key_set(
        {
            "keys": [
                {**method["publicKeyJwk"], "kid": method["id"]}
                for method in document["verificationMethod"]
            ]
        }
    )
    verified = joserfc_jws.deserialize_compact(token, keys, algorithms=["EdDSA"])
    assert verified.headers()["typ"] == "vc+jwt"
    return json.loads(verified.payload)


@pytest.fixture
def certificate(django_capture_on_commit_callbacks, catalogue):
    trainee = TraineeProfileFactory(full_name="Đorđe Petrović")
    return issued_certificate(
        django_capture_on_commit_callbacks, catalogue, trainee=trainee
    )


@pytest.mark.django_db
def test_an_issued_certificate_carries_a_signed_open_badge(certificate, client):
    assert certificate.status == Certificate.Status.ISSUED
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == issuer_did()
    credential = joserfc_verify(certificate.credential, document)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["issuer"]["id"] == issuer_did()
    assert credential["id"].endswith(certificate.get_absolute_url().split("/", 2)[2])
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Đorđe Petrović"
    assert subject["achievement"]["name"].endswith("Kubernetes u produkciji")
    assert certificate.serial in credential["name"]
    assert credential["validFrom"].startswith(str(certificate.issued_at.date()))
    # No e-mail address anywhere.
    assert certificate.enrolment.trainee.user.email not in json.dumps(credential)
    assert credential_verify(certificate.credential) == credential


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_key_is_read_from_did_json_over_http(
    live_server, settings, django_capture_on_commit_callbacks, catalogue
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    certificate = issued_certificate(django_capture_on_commit_callbacks, catalogue)
    with urllib.request.urlopen(f"{live_server.url}/.well-known/did.json") as reply:
        assert reply.headers["Content-Type"] == "application/did+json"
        assert "max-age" in reply.headers["Cache-Control"]
        document = json.load(reply)
    header = jws.header_of(certificate.credential)
    assert header["kid"].startswith("did:web:localhost%3A")
    assert header["kid"] in document["assertionMethod"]
    assert joserfc_verify(certificate.credential, document)["id"]


@pytest.mark.django_db
def test_tokens_that_are_not_ours_are_refused_with_a_reason(certificate):
    token = certificate.credential
    header, payload, signature = token.split(".")
    kid = jws.header_of(token)["kid"]
    changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
    changed["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    other_key = jws.sign(changed, key=Ed25519PrivateKey.generate(), kid=kid)
    cases = {
        f"{header}.{b64(changed)}.{signature}": "does not match",
        other_key: "does not match",
        f"{b64({'alg': 'none', 'kid': kid})}.{payload}.": "not EdDSA",
        f"{b64({'alg': 'HS256', 'kid': kid})}.{payload}.{signature}": "not EdDSA",
        jws.sign(changed, key=Ed25519PrivateKey.generate(), kid=kid + "x"): (
            "does not list"
        ),
        "not.a.token": "not JSON",
        "é.b.c": "not base64url",
        "two.parts": "three parts",
        "x" * 70_000: "too long",
    }
    for bad, reason in cases.items():
        with pytest.raises(jws.InvalidCredential, match=reason):
            credential_verify(bad)


@pytest.mark.django_db
def test_a_rotated_key_stays_listed_and_its_credentials_still_verify(
    certificate, django_capture_on_commit_callbacks, catalogue
):
    old_kid = jws.header_of(certificate.credential)["kid"]
    call_command("signing_key_rotate", verbosity=0)
    newer = issued_certificate(django_capture_on_commit_callbacks, catalogue)
    new_kid = jws.header_of(newer.credential)["kid"]
    assert new_kid != old_kid
    document = did_document()
    assert set(document["assertionMethod"]) == {old_kid, new_kid}
    assert IssuerKey.objects.get(retired_at__isnull=False).thumbprint in old_kid
    for token in (certificate.credential, newer.credential):
        assert joserfc_verify(token, document)
        assert credential_verify(token)


@pytest.mark.django_db
def test_erasure_withholds_the_credential_with_the_name(certificate):
    trainee = certificate.enrolment.trainee
    trainee_erase(trainee=trainee, by=UserFactory())
    certificate.refresh_from_db()
    assert certificate.credential == ""


# --- Revocation: the Bitstring Status List ---------------------------------------


def status_bit(client, credential: dict) -> bool:
    """The credential's bit, read as an outside verifier would: fetch the
    list, check its signature with joserfc, decode the bits by hand."""
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    path = urllib.parse.urlsplit(entry["statusListCredential"]).path
    response = client.get(path)
    assert response["Content-Type"] == "application/vc+jwt"
    assert "max-age=300" in response["Cache-Control"]
    document = client.get("/.well-known/did.json").json()
    status_list = joserfc_verify(response.content.decode(), document)
    assert status_list["type"] == [
        "VerifiableCredential",
        "BitstringStatusListCredential",
    ]
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"  # multibase base64url
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=="))
    assert len(bits) * 8 == 131_072
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


@pytest.mark.django_db
def test_revoking_flips_the_credentials_bit_in_the_status_list(certificate, client):
    credential = credential_verify(certificate.credential)
    assert status_bit(client, credential) is False
    assert credential_revoked(credential) is False
    certificate_revoke(certificate=certificate, by=None, reason="Issued in error.")
    assert status_bit(client, credential) is True
    assert credential_revoked(credential) is True


@pytest.mark.django_db
def test_a_superseded_certificate_is_revoked_once_its_replacement_is_issued(
    certificate, client, django_capture_on_commit_callbacks
):
    credential = credential_verify(certificate.credential)
    with django_capture_on_commit_callbacks(execute=False):
        replacement = certificate_reissue(
            certificate=certificate, by=None, full_name="Đorđe M. Petrović"
        )
    assert status_bit(client, credential) is False  # the new one is not out yet
    certificate_generate(certificate_id=replacement.pk)
    assert status_bit(client, credential) is True
    newer = credential_verify(Certificate.objects.get(pk=replacement.pk).credential)
    assert newer["credentialStatus"]["statusListIndex"] != (
        credential["credentialStatus"]["statusListIndex"]
    )
    assert status_bit(client, newer) is False


@pytest.mark.django_db
def test_status_entries_that_are_not_ours_or_out_of_range_are_refused(certificate):
    credential = credential_verify(certificate.credential)
    entry = credential["credentialStatus"]
    cases = {
        "outside the list": {**entry, "statusListIndex": "131072"},
        "not the academy's": {
            **entry,
            "statusListCredential": "https://elsewhere.example/credentials/status/0.jwt",
        },
        "does not exist": {
            **entry,
            "statusListCredential": entry["statusListCredential"].replace(
                "/0.jwt", "/7.jwt"
            ),
        },
        "no usable status": {**entry, "statusListIndex": "first"},
    }
    for reason, bad in cases.items():
        with pytest.raises(jws.InvalidCredential, match=reason):
            credential_revoked({**credential, "credentialStatus": bad})


@pytest.mark.django_db
def test_the_status_list_answers_304_when_unchanged_and_404_when_unknown(
    certificate, client
):
    credential = credential_verify(certificate.credential)
    path = urllib.parse.urlsplit(
        credential["credentialStatus"]["statusListCredential"]
    ).path
    first = client.get(path)
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get("/credentials/status/99.jwt").status_code == 404


# --- Sharing: downloads, LinkedIn, the verification API ----------------------------


@pytest.mark.django_db
def test_the_verification_api_answers_json_with_the_credential(certificate, client):
    url = f"/api/verify/{certificate.verification_code}"
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert "noindex" in answer["X-Robots-Tag"]
    body = answer.json()
    assert body["status"] == "valid"
    assert body["holder"] == "Đorđe Petrović"
    assert body["course"] == "Kubernetes u produkciji"
    assert body["kind"] == "completion"
    assert body["serial"] == certificate.serial
    assert body["credential"] == certificate.credential
    assert "email" not in json.dumps(body)
    certificate_revoke(certificate=certificate, by=None, reason="Issued in error.")
    assert client.get(url).json()["status"] == "revoked"
    missing = client.get("/api/verify/" + "A" * 32)
    assert missing.status_code == 404
    assert missing.json() == {"error": "No certificate has this code."}


@pytest.mark.django_db
def test_the_api_counts_against_the_pages_limit(certificate, client):
    from certificates.ratelimit import LOOKUPS_PER_WINDOW

    url = f"/api/verify/{certificate.verification_code}"
    for _ in range(LOOKUPS_PER_WINDOW):
        assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many look-ups" in refused.json()["error"]
    assert client.get(certificate.get_absolute_url()).status_code == 429


@pytest.mark.django_db
def test_the_credential_downloads_as_a_token_and_as_json(certificate, client):
    code = certificate.verification_code
    token = client.get(f"/en/verify/{code}/credential.jwt")
    assert token["Content-Type"].startswith("application/vc+jwt")
    assert token["Content-Disposition"] == (
        f'attachment; filename="{certificate.serial}.jwt"'
    )
    assert token.content.decode() == certificate.credential
    as_json = client.get(f"/en/verify/{code}/credential.json")
    assert json.loads(as_json.content) == credential_verify(certificate.credential)
    assert client.get(f"/en/verify/{'B' * 32}/credential.jwt").status_code == 404


@pytest.mark.django_db
def test_my_learning_and_the_page_offer_the_credential_and_linkedin(
    certificate, client
):
    client.force_login(certificate.enrolment.trainee.user)
    for page in (
        client.get("/en/learning/").content.decode(),
        client.get(certificate.get_absolute_url()).content.decode(),
    ):
        assert f"/verify/{certificate.verification_code}/credential.jwt" in page
        linkedin = re.search(r'href="(https://www\.linkedin\.com/[^"]+)"', page)
        params = urllib.parse.parse_qs(
            urllib.parse.urlsplit(html.unescape(linkedin.group(1))).query
        )
        assert params["startTask"] == ["CERTIFICATION_NAME"]
        assert params["organizationName"] == ["Cluster Academy"]
        assert params["certId"] == [certificate.serial]
        assert params["certUrl"][0].endswith(
            f"/verify/{certificate.verification_code}/"
        )
        issued = certificate.issued_at.astimezone(ZoneInfo("Europe/Belgrade"))
        assert params["issueYear"] == [str(issued.year)]
        assert params["issueMonth"] == [str(issued.month)]
        assert "Kubernetes u produkciji" in params["name"][0]
    certificate_revoke(certificate=certificate, by=None, reason="Issued in error.")
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "credential.jwt" not in page and "linkedin" not in page


@pytest.mark.django_db
def test_the_pdf_carries_the_credential_as_an_attached_file(certificate):
    from pypdf import PdfReader

    from certificates.pdf import embedded_credential
    from tests.certificates.factories import pdf_bytes

    body = pdf_bytes(certificate)
    attachments = PdfReader(io.BytesIO(body)).attachments
    assert list(attachments) == [f"{certificate.serial}.jwt"]
    assert attachments[f"{certificate.serial}.jwt"][0].decode() == (
        certificate.credential
    )
    assert embedded_credential(body) == certificate.credential
    assert credential_verify(embedded_credential(body))["credentialSubject"]
