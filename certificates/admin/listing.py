"""The Certificates listing (Certificates > Certificates): Wagtail's snippet
listing without row checkboxes (there is nothing to do in bulk, and Delete,
which Wagtail offers for every snippet, must never show), with each row's
Retry, Revoke, Reissue, Review and Download in its "More" menu, and a "Needs
review" tag on certificates flagged for review (certificates/admin/review.py).
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import IndexView

from academy_site.admin_ui import ToneStatusColumn
from certificates.access import may_review_certificates
from certificates.admin import url_names
from certificates.admin.buttons import download_url
from certificates.admin.mixins import NoBulkActionsMixin
from certificates.admin.permissions import MANAGE
from certificates.models import Certificate

Status = Certificate.Status

# Row actions: (URL name, label, icon, the status they start from).
ROW_ACTIONS = (
    ("retry", _("Retry"), "rotate", Status.FAILED),
    ("revoke", _("Revoke"), "cross", Status.ISSUED),
    ("reissue", _("Reissue"), "copy", Status.ISSUED),
)


def _date(moment) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else ""


def _failure(certificate: Certificate) -> str:
    if certificate.status != Status.FAILED:
        return ""
    return Truncator(certificate.failure_reason).chars(120)


class ReviewColumn(Column):
    """ "Needs review" as a tag, in words (not colour alone); empty otherwise.
    Reads the listing queryset's `needs_review` annotation."""

    cell_template_name = "certificates/admin/includes/review_cell.html"

    def get_value(self, instance):
        return _("Needs review") if getattr(instance, "needs_review", False) else ""


LIST_DISPLAY = [
    "serial",
    Column("full_name", label=_("Name"), sort_key="full_name"),
    Column("course_title", label=_("Course"), sort_key="course_title"),
    Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
    ToneStatusColumn(
        "status",
        label=_("Status"),
        accessor="get_status_display",
        tones={
            "pending": "info",
            "issued": "good",
            "failed": "bad",  # to act on: retry
            "revoked": "bad",
            "superseded": "neutral",
        },
        sort_key="status",
    ),
    ReviewColumn("needs_review", label=_("Review")),
    DateColumn("issued_at", label=_("Issued"), sort_key="issued_at"),
    Column(
        "expires_at",
        label=_("Expires"),
        accessor=lambda c: _date(c.expires_at),
        sort_key="expires_at",
    ),
    Column("failure_reason", label=_("Failure reason"), accessor=_failure),
]


class CertificateIndexView(NoBulkActionsMixin, IndexView):
    @cached_property
    def can_manage(self) -> bool:
        return self.user_has_permission(MANAGE)

    @cached_property
    def listing_url(self) -> str:
        """This listing with its filters, for coming back after a row action."""
        params = self.request.GET.copy()
        params.pop("_w_filter_fragment", None)
        return f"{self.index_url}?{params.urlencode()}" if params else self.index_url

    @cached_property
    def can_review(self) -> bool:
        return may_review_certificates(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.can_review and getattr(instance, "needs_review", False):
            url = reverse(url_names.name("review"), args=[instance.pk])
            buttons.append(
                MenuItem(
                    _("Review"),
                    url=f"{url}?{urlencode({'next': self.listing_url})}",
                    icon_name="warning",
                    priority=35,
                )
            )
        if self.can_manage:
            for view, label, icon, from_status in ROW_ACTIONS:
                if instance.status == from_status:
                    url = reverse(url_names.name(view), args=[instance.pk])
                    buttons.append(
                        MenuItem(
                            label,
                            url=f"{url}?{urlencode({'next': self.listing_url})}",
                            icon_name=icon,
                            priority=40,
                        )
                    )
        if url := download_url(instance):
            buttons.append(
                MenuItem(_("Download PDF"), url=url, icon_name="download", priority=30)
            )
        return buttons
