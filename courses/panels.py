"""A read-only panel of the run editor (Scheduling > Runs): the facts the
run's certificates print, as recorded when it started (courses/services.py:
run_facts_record). Nothing here is editable; an academy admin may record them
again from the course (courses/admin_views.py)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from courses.access import may_record_run_facts_again
from courses.selectors import RunFacts, run_facts

RECORD_AGAIN_URL_NAME = "run_facts_record_again"


def hours_label(hours: Decimal) -> str:
    """ "24 hours", as the certificates write them."""
    hours = hours.normalize()
    return ngettext(
        "%(hours)s hour", "%(hours)s hours", 1 if hours == 1 else int(hours) or 2
    ) % {"hours": number_format(hours)}


def facts_rows(*facts: RunFacts) -> list[tuple[str, list[str]]]:
    """(label, [its value in each of `facts`]) for each fact, to show one set
    of facts or to set two side by side."""
    names = dict(settings.LANGUAGES)
    codes = sorted(set().union(*(f.titles for f in facts)))
    return [
        (gettext("Hours"), [hours_label(f.hours) for f in facts]),
        (gettext("Course title"), [f.title for f in facts]),
        *[
            (
                gettext("Title in %(language)s") % {"language": names.get(code, code)},
                [f.titles.get(code, gettext("No translation")) for f in facts],
            )
            for code in codes
        ],
        (
            gettext("Instructors"),
            [", ".join(f.instructors) or gettext("None named") for f in facts],
        ),
    ]


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
                context.update(
                    facts=facts,
                    rows=[(label, values[0]) for label, values in facts_rows(facts)],
                )
                if may_record_run_facts_again(self.request.user):
                    context["record_again_url"] = reverse(
                        RECORD_AGAIN_URL_NAME, args=(quote(run.pk),)
                    )
            return context
