"""Who may do what with enrolments and trainees in the Wagtail admin.

Enrolments change only through enrolments/services (which keep a run's seats
right) and trainee profiles only through sign-up and the trainee's own account,
so the generic add, edit and delete of Wagtail's viewsets are refused to
everyone, superusers included.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

GENERIC_WRITES = frozenset({"add", "change", "delete"})

# Approve, reject and cancel in the Enrolments listing. Granted by Django's
# "Can change enrolment" permission, the one Wagtail's group editor shows.
DECIDE = "decide"


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, without the generic writes."""

    def user_has_permission(self, user, action):
        if action in GENERIC_WRITES:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = set(actions) - GENERIC_WRITES
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


class EnrolmentPermissionPolicy(ReadOnlyPermissionPolicy):
    """Viewing needs "Can view enrolment"; deciding needs "Can change enrolment"."""

    def _get_permission_codename(self, action):
        return super()._get_permission_codename(
            "change" if action == DECIDE else action
        )
