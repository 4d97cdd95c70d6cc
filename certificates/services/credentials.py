"""Open Badges 3.0 credentials of certificates: signed in the worker with
the PDF (certificates/services/rendering.py), checked against the keys the
academy lists in /.well-known/did.json. The payload is built by
certificates/credentials/openbadges.py, signed by certificates/credentials/
jws.py with the key certificates/credentials/keys.py loads."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from academy_site.links import absolute_url, site_url
from certificates.credentials import jws, keys, status_list
from certificates.credentials.openbadges import CredentialFacts, open_badge_credential
from certificates.models import KIND_TITLES, Certificate, IssuerKey, Kind
from certificates.selectors import printed_name, verification_url
from certificates.services.errors import CertificateError

# A list takes certificates until half its positions are drawn, so a random
# draw rarely meets a taken one; then the next list opens.
STATUS_LIST_FILL = status_list.SIZE // 2

ISSUER_NAME = "Cluster Academy"


def issuer_key_current() -> tuple:
    """(the private key, its kid) to sign with now, its public key listed
    (registered on first use; the keys used before are retired, still
    listed)."""
    private = keys.private_key()
    jwk = keys.public_jwk(private.public_key())
    thumbprint = keys.thumbprint(jwk)
    if not IssuerKey.objects.filter(thumbprint=thumbprint, retired_at=None).exists():
        try:
            with transaction.atomic():
                IssuerKey.objects.update_or_create(
                    thumbprint=thumbprint,
                    defaults={"public_jwk": jwk, "retired_at": None},
                )
                IssuerKey.objects.exclude(thumbprint=thumbprint).filter(
                    retired_at=None
                ).update(retired_at=timezone.now())
        except IntegrityError:
            pass  # registered by another worker at the same moment
    return private, f"{keys.issuer_did()}#{thumbprint}"


def issuer_public_keys() -> dict:
    """kid -> public key, for every key the academy has signed with."""
    did = keys.issuer_did()
    return {
        f"{did}#{row.thumbprint}": keys.public_key_from_jwk(row.public_jwk)
        for row in IssuerKey.objects.all()
    }


def _criteria(certificate: Certificate) -> str:
    course = certificate.enrolment.course
    if certificate.kind == Kind.COMPLETION:
        return gettext(
            "Attended at least %(percent)s%% of the meetings and passed every "
            "required module and assessment."
        ) % {"percent": course.attendance_threshold_percent}
    return gettext("Attended at least %(percent)s%% of the meetings.") % {
        "percent": course.attendance_threshold_percent
    }


def credential_facts(certificate: Certificate) -> CredentialFacts:
    """What the credential says: the certificate's snapshots, in its language."""
    course = certificate.enrolment.course
    with translation.override(certificate.language):
        return CredentialFacts(
            verification_url=verification_url(certificate),
            issuer_did=keys.issuer_did(),
            issuer_name=ISSUER_NAME,
            issuer_url=site_url(),
            serial=certificate.serial,
            kind=certificate.kind,
            kind_name=str(KIND_TITLES[certificate.kind]),
            course_title=certificate.course_title,
            course_url=course.full_url or site_url(),
            hours=f"{certificate.hours.normalize():f}",
            starts_on=(
                certificate.starts_on.isoformat() if certificate.starts_on else None
            ),
            ends_on=certificate.ends_on.isoformat() if certificate.ends_on else None,
            criteria=_criteria(certificate),
            holder_name=printed_name(certificate.full_name, certificate.language),
            issued_at=certificate.issued_at.isoformat(timespec="seconds"),
            expires_at=(
                certificate.expires_at.isoformat(timespec="seconds")
                if certificate.expires_at
                else None
            ),
            language=certificate.language,
            status=status_list.status_entry(
                url=status_list_url(certificate.status_list),
                position=certificate.status_index,
            ),
        )


def status_list_url(number: int) -> str:
    return absolute_url(reverse("credential_status_list", args=[number]))


def status_bit_allocate(certificate: Certificate) -> None:
    """Draw the certificate's list and position, once; at random, so that
    positions say nothing about the order of issue."""
    if certificate.status_index is not None:
        return
    drawn = Certificate.objects.filter(status_index__isnull=False).count()
    number = drawn // STATUS_LIST_FILL
    draw = secrets.SystemRandom()
    for _attempt in range(32):
        position = draw.randrange(status_list.SIZE)
        try:
            with transaction.atomic():
                Certificate.objects.filter(pk=certificate.pk).update(
                    status_list=number, status_index=position
                )
        except IntegrityError:
            continue  # taken: draw again
        certificate.status_list, certificate.status_index = number, position
        return
    raise CertificateError("No free position in the credentials' status list.")


def credential_sign(certificate: Certificate) -> str:
    """The certificate's credential as a compact JWS (vc+jwt), with its bit
    in the status list drawn first."""
    status_bit_allocate(certificate)
    private, kid = issuer_key_current()
    payload = open_badge_credential(credential_facts(certificate))
    return jws.sign(payload, key=private, kid=kid)


def credential_verify(token: str) -> dict:
    """The credential inside `token` if the academy signed it, with any key it
    has used; raises jws.InvalidCredential with the reason otherwise."""
    return jws.verify(token, keys=issuer_public_keys())


def did_document() -> dict:
    """The issuer's DID document: every key it has signed with, as a
    JsonWebKey verification method usable for assertions (signing
    credentials)."""
    did = keys.issuer_did()
    methods = [
        {
            "id": f"{did}#{row.thumbprint}",
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": row.public_jwk,
        }
        for row in IssuerKey.objects.all()
    ]
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/jwk/v1",
        ],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


# --- The revocation status lists ------------------------------------------------


def _revoked_q() -> Q:
    """Revoked, or superseded by a certificate that has been issued."""
    return Q(status=Certificate.Status.REVOKED) | Q(
        status=Certificate.Status.SUPERSEDED,
        superseded_by__status=Certificate.Status.ISSUED,
    )


def status_list_payload(number: int) -> dict | None:
    """List `number` as a BitstringStatusListCredential (None when no
    certificate has a bit in it). It says when it last changed (its
    validFrom), so the same state always gives the same credential."""
    members = Certificate.objects.filter(status_list=number)
    changed = members.aggregate(
        issued=Max("issued_at"),
        revoked=Max("revoked_at"),
        replaced=Max("superseded_by__issued_at"),
    )
    moments = [moment for moment in changed.values() if moment]
    if not moments:
        return None
    positions = members.filter(_revoked_q()).values_list("status_index", flat=True)
    return status_list.status_list_credential(
        url=status_list_url(number),
        issuer_did=keys.issuer_did(),
        valid_from=max(moments).isoformat(timespec="seconds"),
        encoded=status_list.encode_bits(positions),
    )


def status_list_token(number: int) -> str | None:
    """List `number`, signed like the credentials; None when it is empty."""
    payload = status_list_payload(number)
    if payload is None:
        return None
    private, kid = issuer_key_current()
    return jws.sign(payload, key=private, kid=kid)


def credential_revoked(credential: dict) -> bool:
    """Whether the status list says `credential` (verified) is revoked; raises
    jws.InvalidCredential for a status entry that is not one of ours or
    points outside its list."""
    entry = credential.get("credentialStatus") or {}
    url = entry.get("statusListCredential", "")
    try:
        position = int(entry.get("statusListIndex", ""))
        number = int(url.rsplit("/", 1)[-1].removesuffix(".jwt"))
    except ValueError as error:
        raise jws.InvalidCredential(
            "The credential has no usable status entry."
        ) from error
    if url != status_list_url(number):
        raise jws.InvalidCredential(
            "The credential's status list is not the academy's."
        )
    payload = status_list_payload(number)
    if payload is None:
        raise jws.InvalidCredential("The credential's status list does not exist.")
    bits = status_list.decode_bits(payload["credentialSubject"]["encodedList"])
    return status_list.bit_is_set(bits, position)
