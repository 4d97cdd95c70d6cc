"""The project's own admin screens: Settings > E-mails, the academy's outbox
(academy_site/outbox/), for Academy admins to see what was sent, what waits
and why an e-mail failed; and the academy's admin stylesheet
(static/css/admin.css: status colours)."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from academy_site.admin_ui import ToneStatusColumn
from academy_site.outbox.models import OutboundEmail
from academy_site.public_cache import mark_cacheable
from enrolments.admin.permissions import ReadOnlyPermissionPolicy
from enrolments.admin.viewsets import ReadOnlyViewSetMixin

# No add, edit or delete for anyone, superusers included: the listing would
# otherwise offer a superuser an "Add" button to a view that is not routed.
register_permission_policy(OutboundEmail, ReadOnlyPermissionPolicy(OutboundEmail))


class OutboundEmailViewSet(ReadOnlyViewSetMixin, SnippetViewSet):
    """Read only: e-mails change through the outbox's services alone. No
    history view: sending is the worker's, not an editor's, action."""

    model = OutboundEmail
    url_prefix = "emails"
    icon = "mail"
    menu_label = _("E-mails")
    add_to_settings_menu = True
    index_template_name = "wagtailadmin/generic/index.html"
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    list_display = [
        Column("created_at", label=_("written"), sort_key="created_at"),
        Column("kind", label=_("kind")),
        Column("to", label=_("to")),
        Column("subject", label=_("subject")),
        ToneStatusColumn(
            "get_status_display",
            label=_("status"),
            tone_field="status",
            tones={
                "queued": "info",
                "sending": "info",
                "sent": "good",
                "failed": "bad",
                "cancelled": "neutral",
            },
        ),
        Column("attempts", label=_("attempts")),
        Column("last_error", label=_("last error")),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "kind"]
    inspect_view_fields = [
        "kind",
        "to",
        "subject",
        "language",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
    ]

    def register_chooser_viewset(self):
        # No form links to an e-mail, and Wagtail's chooser checks no
        # permission: it would list every address to any admin user.
        pass


register_snippet(OutboundEmailViewSet)


@hooks.register("insert_global_admin_css")
def academy_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("before_serve_page")
def cache_visitors_pages(page, request, serve_args, serve_kwargs):
    """Marks the request of a page visitors may be served from the cache."""
    mark_cacheable(request, page)
