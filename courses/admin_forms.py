"""Forms of the Wagtail admin for scheduling."""

from wagtail.admin.forms import WagtailAdminModelForm


class CourseRunForm(WagtailAdminModelForm):
    """Checks the inline meetings against the run's own (possibly just edited)
    dates: the meeting forms do not see their run until it is saved."""

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        meetings = self.formsets.get("meetings")
        if not (starts_on and ends_on and meetings is not None):
            return cleaned
        if not meetings.is_valid():
            return cleaned
        for form in meetings.forms:
            day = form.cleaned_data.get("date")
            if form.cleaned_data.get("DELETE") or day is None:
                continue
            if not starts_on <= day <= ends_on:
                form.add_error(
                    "date",
                    f"Pick a date within the run "
                    f"({starts_on:%d %b %Y} to {ends_on:%d %b %Y}).",
                )
        return cleaned
