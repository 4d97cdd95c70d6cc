"""The certificate panel of the admin dashboard (/admin/): certificates that
failed or are still being generated, those issued this month against last
month, those that expire in the next 90 days, and, for academy admins, the
certificates flagged for review (the dashboard is their notice). Template:
templates/certificates/admin/dashboard/certificates.html; the enrolment
panels and their scoping rules are in enrolments/admin/dashboard.py.

One query for the figures, whatever the number of certificates (every figure
is a filtered count of the same aggregate), two for the review queue (its
count and its first rows) and two for the certificates expiring soon.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from certificates.access import (
    certificates_managed_by,
    may_review_certificates,
    reviews_open_for,
)
from certificates.admin import url_names
from certificates.admin.filters import EXPIRING_SOON, NEEDS_REVIEW
from certificates.admin.review import review_url
from certificates.models import Certificate
from certificates.review_reasons import reason_text
from certificates.selectors import certificates_expiring
from enrolments.admin.dashboard import DashboardPanel, month_counts

Status = Certificate.Status
# Reviews listed on the dashboard, oldest first; the rest are counted and
# linked to the filtered listing.
REVIEWS_LISTED = 5
EXPIRING_LISTED = 5


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
            **self.review_queue(),
            **self.expiring_soon(),
            "failed_url": certificates_listing_url(status=Status.FAILED),
            "pending_url": certificates_listing_url(status=Status.PENDING),
            "listing_url": certificates_listing_url(),
        }

    def expiring_soon(self) -> dict:
        """The certificates that expire in the next 90 days (two queries):
        their holders are reminded (certificates/services/expiry.py); the
        academy sees who may need a place in a next run."""
        expiring = certificates_expiring().filter(
            pk__in=certificates_managed_by(self.user).values("pk")
        )
        return {
            "expiring_count": expiring.count(),
            "expiring": list(
                expiring.select_related(None).only(
                    "pk", "serial", "course_title", "expires_at"
                )[:EXPIRING_LISTED]
            ),
            "expiring_url": certificates_listing_url(expiring=EXPIRING_SOON),
        }

    def review_queue(self) -> dict:
        """The open reviews an academy admin decides; nothing for anyone else,
        so an instructor never sees the queue."""
        if not may_review_certificates(self.user):
            return {"can_review": False}
        reviews = reviews_open_for(self.user)
        count = reviews.count()
        if not count:
            return {"can_review": True, "review_count": 0}
        first = (
            reviews.select_related("certificate")
            .only(
                "pk",
                "reasons",
                "opened_at",
                "certificate__id",
                "certificate__serial",
                "certificate__full_name",
                "certificate__course_title",
            )
            .order_by("opened_at", "pk")[:REVIEWS_LISTED]
        )
        return {
            "review_count": count,
            "reviews": [
                {
                    "certificate": review.certificate,
                    "opened_at": review.opened_at,
                    "reason": reason_text(review.reasons[-1]) if review.reasons else "",
                    "url": review_url(
                        review.certificate.pk, reverse("wagtailadmin_home")
                    ),
                }
                for review in first
            ],
            "reviews_url": certificates_listing_url(review=NEEDS_REVIEW),
            "can_review": True,
        }


@hooks.register("construct_homepage_panels")
def add_certificate_panels(request, panels):
    panel = CertificatesPanel(request)
    if panel.is_shown():
        panels.append(panel)
