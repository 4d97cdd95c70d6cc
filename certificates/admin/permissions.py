"""Who may do what with certificates and their templates in the Wagtail admin.

Certificates change only through certificates/services (serials, files and
the lifecycle stay consistent), and nothing is ever deleted, so the generic
add, edit and delete of Wagtail's views are refused to everyone, superusers
included. What an admin does instead maps onto Django's model permissions,
the ones Wagtail's group editor shows:

- "Can view certificate": the listing, batch progress, downloads and the ZIP;
- "Can add certificate": issuing (one run's trainees, in bulk);
- "Can change certificate": retry, revoke and reissue.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

from enrolments.admin.permissions import ReadOnlyPermissionPolicy

ISSUE = "issue"
MANAGE = "manage"
CODENAME_ACTIONS = {ISSUE: "add", MANAGE: "change"}


class CertificatePermissionPolicy(ReadOnlyPermissionPolicy):
    """No generic writes; `ISSUE` and `MANAGE` ride on add and change."""

    def _get_permission_codename(self, action):
        return super()._get_permission_codename(CODENAME_ACTIONS.get(action, action))


class TemplatePermissionPolicy(ModelPermissionPolicy):
    """Templates are added and edited as usual but never deleted: issued
    certificates keep pointing at theirs. A retired design is made inactive."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = set(actions) - {"delete"}
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)
