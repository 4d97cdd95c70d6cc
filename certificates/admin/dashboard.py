"""The certificate panel of the admin dashboard (/admin/): certificates that
failed or are still being generated, and those issued this month against last
month. Template: templates/certificates/admin/dashboard/certificates.html; the
enrolment panels and their scoping rules are in enrolments/admin/dashboard.py.

One query, whatever the number of certificates: every figure is a filtered
count of the same aggregate.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from certificates.access import certificates_managed_by
from certificates.admin import url_names
from certificates.models import Certificate
from enrolments.admin.dashboard import DashboardPanel, month_counts

Status = Certificate.Status


def certificates_listing_url(**filters) -> str:
    """The Certificates listing with its filters (certificates/admin/filters.py)."""
    url = reverse(url_names.name("list"))
    return f"{url}?{urlencode(filters)}" if filters else url


class CertificatesPanel(DashboardPanel):
    name = "academy_certificates"
    template_name = "certificates/admin/dashboard/certificates.html"
    heading = _("Certificates")
    order = 95

    def is_shown(self):
        return self.user.has_perm("certificates.view_certificate")

    def get_panel_data(self):
        counts = certificates_managed_by(self.user).aggregate(
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            pending=Count("pk", filter=Q(status=Status.PENDING)),
            # Issued in the month, whatever happened to them since (a
            # certificate revoked or superseded later was still issued then).
            **month_counts("issued_at"),
        )
        return {
            **counts,
            "failed_url": certificates_listing_url(status=Status.FAILED),
            "pending_url": certificates_listing_url(status=Status.PENDING),
            "listing_url": certificates_listing_url(),
        }


@hooks.register("construct_homepage_panels")
def add_certificate_panels(request, panels):
    panel = CertificatesPanel(request)
    if panel.is_shown():
        panels.append(panel)
