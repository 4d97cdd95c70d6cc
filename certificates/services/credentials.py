"""Open Badges 3.0 credentials of certificates: signed in the worker with
the PDF (certificates/services/rendering.py), checked against the keys the
academy lists in /.well-known/did.json. The payload is built by
certificates/credentials/openbadges.py, signed by certificates/credentials/
jws.py with the key certificates/credentials/keys.py loads."""

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from academy_site.links import site_url
from certificates.credentials import jws, keys
from certificates.credentials.openbadges import CredentialFacts, open_badge_credential
from certificates.models import KIND_TITLES, Certificate, IssuerKey, Kind
from certificates.selectors import printed_name, verification_url

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
        )


def credential_sign(certificate: Certificate) -> str:
    """The certificate's credential as a compact JWS (vc+jwt)."""
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
