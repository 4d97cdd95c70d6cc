"""The teaching pages (/teaching/: runs, registers, check-in, gradebooks) in
the Wagtail admin's main menu, for whoever may open them. Imported by
enrolments/wagtail_hooks.py; the views refuse everyone else
(enrolments/teaching/views.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from enrolments.access import teaches_or_manages


class TeachingMenuItem(MenuItem):
    def is_shown(self, request):
        return teaches_or_manages(request.user)


@hooks.register("register_admin_menu_item")
def register_teaching_menu_item():
    return TeachingMenuItem(
        _("Teaching"),
        reverse("teaching:runs"),
        name="teaching",
        icon_name="group",
        # After Pages and Search, before Scheduling (200).
        order=150,
    )
