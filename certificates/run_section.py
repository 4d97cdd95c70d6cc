"""The run's certificates on its overview page in /teaching/ (through
enrolments' register_run_section hook): how many are issued, being prepared
or revoked, "Issue certificates", and each certificate with its actions as
visible buttons (retry, revoke, reissue, download), for whoever may take
them. Every action opens its confirmation page in the certificates admin and
comes back here."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from certificates.access import certificates_managed_by
from certificates.admin import url_names
from certificates.admin.buttons import can, download_url, issue_url
from certificates.admin.listing import ROW_ACTIONS
from certificates.admin.permissions import ISSUE, MANAGE
from certificates.models import Certificate

Status = Certificate.Status


def run_certificates_section(*, run, request) -> str:
    user = request.user
    if not can(user, "view"):
        return ""
    certificates = list(
        certificates_managed_by(user)
        .filter(enrolment__run=run)
        .exclude(status=Status.SUPERSEDED)
        .select_related("enrolment__trainee")
        .order_by("enrolment__trainee__full_name", "kind", "pk")
    )
    back = urlencode({"next": request.get_full_path()})
    may_manage = can(user, MANAGE)
    rows = []
    for certificate in certificates:
        actions = []
        if may_manage:
            actions = [
                (
                    label,
                    f"{reverse(url_names.name(view), args=[certificate.pk])}?{back}",
                )
                for view, label, _icon, from_status in ROW_ACTIONS
                if certificate.status == from_status
            ]
        rows.append(
            {
                "certificate": certificate,
                "inspect_url": reverse(
                    url_names.name("inspect"), args=[certificate.pk]
                ),
                "download_url": download_url(certificate),
                "actions": actions,
            }
        )
    counts = {status: 0 for status in Status.values}
    for certificate in certificates:
        counts[certificate.status] += 1
    return render_to_string(
        "certificates/run_section.html",
        {
            "run": run,
            "rows": rows,
            "issued": counts[Status.ISSUED],
            "preparing": counts[Status.PENDING],
            "failed": counts[Status.FAILED],
            "revoked": counts[Status.REVOKED],
            "issue_url": issue_url(run.pk) if can(user, ISSUE) else None,
        },
        request=request,
    )


def action_url(view: str, certificate: Certificate) -> str:
    return reverse(url_names.name(view), args=[certificate.pk])
