"""Certificate templates in every language and the certificates the demo's
enrolments earned, one reissued and one revoked."""

import datetime as dt

from django.utils import timezone

from academy_site.demo.certificates import (
    CERTIFICATE_TEMPLATES,
    MISSPELT_NAME,
    NAME_CORRECTION,
    REVOCATION_REASON,
    SIGNATORY,
)
from academy_site.demo.load.state import DemoLoad
from certificates.models import Certificate, CertificateTemplate
from certificates.selectors import KIND_FOR_OUTCOME
from certificates.services.issuing import certificate_request
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from certificates.services.rendering import certificate_generate
from enrolments.accounts.services import trainee_profile_update
from enrolments.models import Enrolment

# When the academy issues a past run's certificates, the day after it ended.
ISSUED_AT_TIME = dt.time(10, 0)


def certificates_load(demo: DemoLoad) -> None:
    """Templates in every language, and a certificate for every enrolment
    that earned one: rendered here through the task's own service so the
    demo shows issued certificates at once (the render task dispatched on
    commit then finds them issued and does nothing). One is reissued with a
    corrected name and one revoked, so every state can be seen."""
    for (
        kind,
        audience,
        language,
        name,
        heading,
        statement,
    ) in CERTIFICATE_TEMPLATES:
        signatory, title = SIGNATORY[language]
        _, created = CertificateTemplate.objects.get_or_create(
            kind=kind,
            audience=audience,
            language=language,
            name=name,
            defaults={
                "heading": heading,
                "statement": statement,
                "signatory_1_name": signatory,
                "signatory_1_title": title,
            },
        )
        demo.created["certificate template"] += created
    earned = list(
        Enrolment.objects.exclude(outcome="none")
        .exclude(status__in=["cancelled", "rejected"])
        .select_related("trainee")
        .order_by("pk")
    )
    if not earned:
        return
    first_completion = next((e for e in earned if e.outcome == "completion"), None)
    for enrolment in earned:
        kind = KIND_FOR_OUTCOME[enrolment.outcome]
        if Certificate.objects.filter(enrolment=enrolment, kind=kind).exists():
            continue
        misspelt = enrolment == first_completion
        certificate = certificate_request(
            enrolment=enrolment,
            kind=kind,
            by=demo.admin,
            full_name=MISSPELT_NAME if misspelt else None,
        )
        certificate_generate(
            certificate_id=certificate.pk, issued_at=issued_at_for(demo, enrolment)
        )
        demo.created["certificate"] += 1
        if misspelt:
            certificate.refresh_from_db()
            corrected = certificate_reissue(certificate=certificate, by=demo.admin)
            certificate_generate(certificate_id=corrected.pk)
            demo.created["certificate"] += 1
    if not Certificate.objects.filter(status=Certificate.Status.REVOKED).exists():
        # Keep a Cyrillic certificate valid: the demo shows both scripts.
        last = next(
            (
                certificate
                for certificate in Certificate.objects.filter(
                    status=Certificate.Status.ISSUED, kind="attendance"
                ).order_by("-pk")
                if not any("\u0400" <= ch <= "\u04ff" for ch in certificate.full_name)
            ),
            None,
        )
        if last:
            certificate_revoke(
                certificate=last, by=demo.admin, reason=REVOCATION_REASON
            )


def issued_at_for(demo: DemoLoad, enrolment: Enrolment) -> dt.datetime | None:
    """The certificate of a run that has ended is dated to the day after its
    end, as the academy would have issued it; others now (None)."""
    run = enrolment.run
    if run is None or run.ends_on >= demo.today:
        return None
    return timezone.make_aware(
        dt.datetime.combine(run.ends_on + dt.timedelta(days=1), ISSUED_AT_TIME)
    )


def name_correction_load(demo: DemoLoad) -> None:
    """A trainee corrects their name after their certificate was issued,
    through the profile service: the certificate is flagged for review once
    the load commits (certificates/receivers.py). Once only: a corrected
    name is not corrected again."""
    email, corrected = NAME_CORRECTION
    profile = demo.trainees[email]
    profile.refresh_from_db()
    issued = Certificate.objects.filter(
        enrolment__trainee=profile, status=Certificate.Status.ISSUED
    )
    if profile.full_name == corrected or not issued.exists():
        return
    trainee_profile_update(
        user=profile.user,
        full_name=corrected,
        organisation=profile.organisation,
        preferred_language=profile.preferred_language,
    )
    demo.created["name corrected"] += 1
