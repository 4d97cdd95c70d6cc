"""Links into the certificates admin from elsewhere: "Issue certificates" on
each run (Scheduling > Runs, and the run's editor), and a certificate's
download through the public download view."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets.button import Button
from wagtail.permissions import policy_registry
from wagtail.snippets.action_menu import ActionMenuItem

from certificates.admin import url_names
from certificates.admin.permissions import ISSUE
from certificates.models import Certificate
from courses.models import CourseRun


def can(user, action: str) -> bool:
    return policy_registry.get_by_type(Certificate).user_has_permission(user, action)


def issue_url(run_id: int) -> str:
    return reverse(url_names.name("issue"), args=[run_id])


def download_url(certificate: Certificate) -> str | None:
    """The certificate's PDF through the public download view (which checks
    permission), or None while it has no file or that view is not routed."""
    if not certificate.pdf:
        return None
    try:
        return reverse("certificates:download", args=[certificate.pk])
    except NoReverseMatch:
        return None


def run_listing_buttons(snippet, user, next_url=None) -> list:
    """ "Issue certificates" in each run's "More" menu of Scheduling > Runs."""
    if not isinstance(snippet, CourseRun) or not can(user, ISSUE):
        return []
    return [
        Button(
            _("Issue certificates"),
            url=issue_url(snippet.pk),
            icon_name="doc-full",
            priority=60,
        )
    ]


class RunIssueMenuItem(ActionMenuItem):
    """ "Issue certificates" in the Save menu of a run's editor."""

    name = "action-run-certificates"
    label = gettext_lazy("Issue certificates")
    icon_name = "doc-full"

    def is_shown(self, context):
        return context.get("view") == "edit" and can(context["request"].user, ISSUE)

    def get_url(self, parent_context):
        return issue_url(parent_context["instance"].pk)
