"""Table columns shared by the people listings (Enrolments, Organisations,
Trainees)."""

from django.utils import timezone
from wagtail.admin.ui.tables import BooleanColumn, Column


class MemberTodayColumn(BooleanColumn):
    """A tick when an organisation is a member today. `organisation_of(row)`
    gives the organisation (the row itself by default); its
    `membership_periods` must be prefetched, or each row costs a query."""

    def __init__(self, name, organisation_of=None, **kwargs):
        super().__init__(name, **kwargs)
        self.organisation_of = organisation_of or (lambda row: row)

    def get_value(self, instance):
        organisation = self.organisation_of(instance)
        return bool(organisation) and organisation.is_member_on(timezone.localdate())


class LinkColumn(Column):
    """A value that links to another listing: `get_url(row)` gives the URL."""

    cell_template_name = "enrolments/admin/link_cell.html"

    def __init__(self, name, get_url, **kwargs):
        super().__init__(name, **kwargs)
        self.get_url = get_url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = self.get_url(instance)
        return context
