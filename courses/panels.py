"""A read-only panel of the run editor (Scheduling > Runs): the facts the
run's certificates print, as recorded when it started (courses/services.py:
run_facts_record). Nothing here is editable: a recorded run keeps them."""

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import Panel

from courses.selectors import run_facts


def hours_label(hours) -> str:
    """ "24 hours", as the certificates write them."""
    hours = hours.normalize()
    return ngettext(
        "%(hours)s hour", "%(hours)s hours", 1 if hours == 1 else int(hours) or 2
    ) % {"hours": number_format(hours)}


class RunFactsPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("What certificates print"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "run_facts"

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/run_facts_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            run = self.instance
            recorded = run.pk is not None and run.facts_recorded_at is not None
            context["recorded"] = recorded
            if recorded:
                facts = run_facts(run)
                names = dict(settings.LANGUAGES)
                context.update(
                    facts=facts,
                    hours=hours_label(facts.hours),
                    titles=[
                        (names.get(code, code), title)
                        for code, title in sorted(facts.titles.items())
                    ],
                )
            return context
