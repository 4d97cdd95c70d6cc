"""A certificate as an Open Badges 3.0 `OpenBadgeCredential` (1EdTech OB
3.0 on the W3C Verifiable Credentials Data Model 2.0): pure, facts in, the
credential's JSON out. The holder is named as the certificate prints the
name (an IdentityObject of type "name", not hashed) and nothing else: no
e-mail, no date of birth."""

from dataclasses import dataclass

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


@dataclass(frozen=True)
class CredentialFacts:
    verification_url: str  # the credential's id: where a person checks it
    issuer_did: str
    issuer_name: str
    issuer_url: str
    serial: str
    kind: str  # "attendance" or "completion"
    kind_name: str  # "Attendance certificate", in the certificate's language
    course_title: str
    course_url: str
    hours: str
    starts_on: str | None  # ISO dates of the run
    ends_on: str | None
    criteria: str
    holder_name: str
    issued_at: str  # ISO date-times
    expires_at: str | None
    language: str
    status: dict | None = None  # its BitstringStatusListEntry


def open_badge_credential(facts: CredentialFacts) -> dict:
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": facts.holder_name,
            }
        ],
        "achievement": {
            "id": f"{facts.course_url}#{facts.kind}",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": f"{facts.kind_name}: {facts.course_title}",
            "description": f"{facts.course_title}, {facts.hours} h",
            "criteria": {"narrative": facts.criteria},
            "inLanguage": facts.language,
        },
    }
    if facts.starts_on:
        subject["activityStartDate"] = facts.starts_on
    if facts.ends_on:
        subject["activityEndDate"] = facts.ends_on
    credential = {
        "@context": CONTEXTS,
        "id": facts.verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{facts.kind_name} {facts.serial}",
        "description": (
            f"{facts.kind_name} {facts.serial}: {facts.course_title}, "
            f"{facts.hours} h."
        ),
        "issuer": {
            "id": facts.issuer_did,
            "type": ["Profile"],
            "name": facts.issuer_name,
            "url": facts.issuer_url,
        },
        "validFrom": facts.issued_at,
        "credentialSubject": subject,
    }
    if facts.expires_at:
        credential["validUntil"] = facts.expires_at
    if facts.status:
        credential["credentialStatus"] = facts.status
    return credential
