from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from courses.selectors import CatalogueFilters


def _with_any(choices, label):
    return [("", label), *choices]


class CatalogueFilterForm(forms.Form):
    """The catalogue's search box and filters, read from the query string.

    An unknown value (a stale link, a tampered URL) is reported and ignored rather
    than failing the page.
    """

    q = forms.CharField(label=_("Search courses"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=_with_any(CoursePage.Level.choices, _("Any level")),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=_with_any(CoursePage.Format.choices, _("Any format")),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_with_any(CoursePage.Language.choices, _("Any language")),
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = _with_any(
            sorted(
                ((topic.slug, topic.shown_name) for topic in topics),
                key=lambda choice: choice[1].casefold(),
            ),
            _("Any topic"),
        )

    def filters(self) -> CatalogueFilters:
        """The valid part of the request; invalid fields count as "any"."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CatalogueFilters(
            **{
                name: (data.get(name) or "").strip()
                for name in ("q", "topic", "level", "format", "language")
                if name not in self.errors
            }
        )
