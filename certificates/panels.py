"""Certificates in My learning and on an organisation coordinator's pages,
through enrolments' extension hooks (enrolments does not know certificates;
certificates registers these in AppConfig.ready)."""

from collections import defaultdict

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from certificates.models import Certificate
from certificates.selectors import linkedin_add_url


def certificates_panel(enrolments) -> dict[int, str]:
    """Each enrolment's certificates (issued, being prepared, revoked), in one
    query; superseded ones are left out, their replacement is shown."""
    by_enrolment = defaultdict(list)
    for certificate in (
        Certificate.objects.filter(enrolment__in=[e.pk for e in enrolments])
        .exclude(status=Certificate.Status.SUPERSEDED)
        .order_by("-created_at", "-pk")
    ):
        if certificate.status == Certificate.Status.ISSUED and certificate.issued_at:
            certificate.linkedin_url = linkedin_add_url(certificate)
        by_enrolment[certificate.enrolment_id].append(certificate)
    return {
        enrolment_id: render_to_string(
            "certificates/my_learning_panel.html", {"certificates": certificates}
        )
        for enrolment_id, certificates in by_enrolment.items()
    }


def staff_certificates_panel(enrolments) -> dict[int, str]:
    """For an organisation's coordinator: each staff enrolment's issued
    certificates to download, in one query (revoked ones are not theirs to
    hand on, and nothing is said about what is being prepared)."""
    by_enrolment = defaultdict(list)
    for certificate in (
        Certificate.objects.filter(
            enrolment__in=[e.pk for e in enrolments],
            status=Certificate.Status.ISSUED,
        )
        .exclude(pdf="")
        .order_by("-issued_at", "-pk")
    ):
        by_enrolment[certificate.enrolment_id].append(certificate)
    return {
        enrolment_id: render_to_string(
            "certificates/staff_panel.html", {"certificates": certificates}
        )
        for enrolment_id, certificates in by_enrolment.items()
    }


def organisation_certificate_downloads(organisation) -> list[tuple[str, str]]:
    return [
        (
            gettext("Your staff's certificates (ZIP)"),
            reverse("certificates:organisation_zip", args=[organisation.pk]),
        )
    ]
