"""The Certificates menu (Certificates and Templates, certificates/admin/)
and what certificates add to Scheduling > Runs: "Issue certificates" in each
run's menu and in the run's editor."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from certificates import audit  # noqa: F401  (the audit log's actions)
from certificates import reports as _reports  # noqa: F401  (Reports menu)
from certificates.admin import dashboard  # noqa: F401  (the dashboard panel)
from certificates.admin.buttons import RunIssueMenuItem, run_listing_buttons
from certificates.admin.permissions import (
    CertificatePermissionPolicy,
    TemplatePermissionPolicy,
)
from certificates.admin.viewsets import CertificatesGroup
from certificates.models import Certificate, CertificateTemplate
from courses.models import CourseRun

# Before the viewsets: Wagtail would otherwise make a default policy for them.
register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))
register_permission_policy(
    CertificateTemplate, TemplatePermissionPolicy(CertificateTemplate)
)

register_snippet(CertificatesGroup)

hooks.register("register_snippet_listing_buttons", run_listing_buttons)


@hooks.register("register_snippet_action_menu_item")
def register_run_issue_menu_item(model):
    if model is CourseRun:
        return RunIssueMenuItem(order=95)
    return None
