"""Admin widgets of the scheduling forms.

Wagtail's date picker closes when a day is picked only where it has
translations of its own; elsewhere it stayed open over the form, hiding the
Save button below a meeting's date until one clicked somewhere else. This one
always closes on the pick (the picker's `closeOnDateSelect`)."""

from wagtail.admin.widgets import AdminDateInput


class DateInput(AdminDateInput):
    def get_config(self):
        return {**super().get_config(), "closeOnDateSelect": True}
