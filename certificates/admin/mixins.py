"""What the certificates admin pages share: a listing without bulk actions,
and the furniture (permission check, breadcrumbs) of the pages that are not
Wagtail's generic views."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from certificates.admin import url_names
from certificates.models import Certificate


class NoBulkActionsMixin:
    """A snippet listing without row checkboxes: nothing is done in bulk."""

    @cached_property
    def columns(self):
        return [
            column
            for column in super().columns
            if not isinstance(column, BulkActionsCheckboxColumn)
        ]


class CertificatesPageMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """A page under Certificates: the permission policy of certificates
    decides (a refusal is the admin's usual "no permission" redirect), and the
    breadcrumbs lead back to the Certificates listing."""

    model = Certificate
    header_icon = "doc-full"

    @cached_property
    def listing_url(self) -> str:
        return reverse(url_names.name("list"))

    @cached_property
    def next_url(self) -> str:
        """Where to go afterwards: a safe ?next= (or POSTed next), else the
        listing."""
        return get_valid_next_url_from_request(self.request) or self.listing_url

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.listing_url, "label": _("Certificates")},
            {"url": "", "label": self.get_page_title()},
        ]
