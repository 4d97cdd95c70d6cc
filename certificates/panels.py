"""Certificates in My learning, through enrolments' panel hook (enrolments
does not know certificates; certificates registers this in AppConfig.ready)."""

from collections import defaultdict

from django.template.loader import render_to_string

from certificates.models import Certificate


def certificates_panel(enrolments) -> dict[int, str]:
    """Each enrolment's certificates (issued, being prepared, revoked), in one
    query; superseded ones are left out, their replacement is shown."""
    by_enrolment = defaultdict(list)
    for certificate in (
        Certificate.objects.filter(enrolment__in=[e.pk for e in enrolments])
        .exclude(status=Certificate.Status.SUPERSEDED)
        .order_by("-created_at", "-pk")
    ):
        by_enrolment[certificate.enrolment_id].append(certificate)
    return {
        enrolment_id: render_to_string(
            "certificates/my_learning_panel.html", {"certificates": certificates}
        )
        for enrolment_id, certificates in by_enrolment.items()
    }
