"""Reads of certificates for views: the trainee's own, the ones a user may
download, and the public facts that verification shows.

Verification pages get a `PublicFacts`, never the Certificate row, so a
template cannot reach the e-mail, organisation, price or grades behind it
however it is edited later.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import QuerySet

from certificates.models import Certificate

DOWNLOAD_ALL_PERMISSION = "certificates.view_certificate"
# The alphabet of secrets.token_urlsafe; anything else cannot be a code.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def certificates_for_trainee(*, trainee) -> QuerySet[Certificate]:
    """Every certificate of the trainee, in any status, newest first, with the
    enrolment, course and run joined for My learning."""
    return (
        Certificate.objects.filter(enrolment__trainee=trainee)
        .select_related("enrolment__course", "enrolment__run")
        .order_by("-created_at", "-pk")
    )


def certificates_downloadable_by(user) -> QuerySet[Certificate]:
    """Certificates with a file that `user` may download: their own, or all of
    them for superusers and holders of the view permission (academy admins)."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    certificates = Certificate.objects.exclude(pdf="")
    if user.is_superuser or user.has_perm(DOWNLOAD_ALL_PERMISSION):
        return certificates
    return certificates.filter(enrolment__trainee__user=user)


def certificate_by_code(*, code: str) -> Certificate | None:
    """An exact match on the unique verification code, as stored (never a
    prefix or a case-insensitive match); a malformed code is not looked up."""
    if not CODE_PATTERN.fullmatch(code or ""):
        return None
    return Certificate.objects.filter(verification_code=code).first()


def certificate_by_sha256(*, digest: str) -> Certificate | None:
    """The certificate whose issued PDF has exactly this SHA-256 (hex)."""
    if not digest:
        return None
    return Certificate.objects.filter(sha256=digest.lower()).order_by("pk").first()


@dataclass(frozen=True)
class PublicFacts:
    """What anyone may learn about a certificate: what it says and whether it
    still stands. `status` is one of valid, revoked, superseded, expired and
    not_issued."""

    full_name: str
    course_title: str
    kind_title: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    serial: str
    issued_at: dt.datetime | None
    status: str
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None


def public_facts(certificate: Certificate) -> PublicFacts:
    status = certificate.public_status
    return PublicFacts(
        full_name=certificate.full_name,
        course_title=certificate.course_title,
        kind_title=certificate.kind_title,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        serial=certificate.serial,
        issued_at=None if status == "not_issued" else certificate.issued_at,
        status=status,
        revoked_at=certificate.revoked_at if status == "revoked" else None,
        expires_at=certificate.expires_at,
    )
