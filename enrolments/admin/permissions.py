"""Who may do what with enrolments and trainees in the Wagtail admin.

Enrolments change only through enrolments/services (which keep a run's seats
right) and trainee profiles only through sign-up and the trainee's own account,
so the generic add, edit and delete of Wagtail's viewsets are refused to
everyone, superusers included.

Model permissions mean every row: "Can view enrolment" shows all enrolments
(academy admins hold it, academy_site/roles.py). Instructors hold no such
permission; they may view the enrolments and trainees of the runs they teach
(`runs_managed_by`), and the listings are scoped to those
(enrolments/access.py `enrolments_visible_to`, `trainees_visible_to`). This
module only maps those rules onto Wagtail's permission policies.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

from enrolments.access import (
    enrolments_visible_to,
    teaches_runs,
    trainees_visible_to,
)

GENERIC_WRITES = frozenset({"add", "change", "delete"})

# Approve, reject and cancel in the Enrolments listing. Granted by Django's
# "Can change enrolment" permission, the one Wagtail's group editor shows.
DECIDE = "decide"

# Models whose "view" instructors get for the rows of the runs they teach.
TEACHING_VIEWABLE = frozenset({"enrolments.enrolment", "enrolments.traineeprofile"})


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, without the generic writes."""

    def user_has_permission(self, user, action):
        if action in GENERIC_WRITES:
            return False
        return super().user_has_permission(user, action) or self._teaching_view(
            user, action
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if action in GENERIC_WRITES:
            return False
        if super().user_has_permission(user, action):
            return True
        return self._teaching_view(user, action) and self._teaches(user, instance)

    def _teaching_view(self, user, action) -> bool:
        return (
            action == "view"
            and self.model._meta.label_lower in TEACHING_VIEWABLE
            and teaches_runs(user)
        )

    def _teaches(self, user, instance) -> bool:
        visible = (
            enrolments_visible_to(user)
            if self.model._meta.label_lower == "enrolments.enrolment"
            else trainees_visible_to(user)
        )
        return visible.filter(pk=instance.pk).exists()

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
