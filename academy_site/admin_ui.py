"""Admin listing parts every app's viewsets share.

Statuses are tags coloured by what they mean for the person reading the list
(to act on, done, gone wrong, no longer in play), with the word always there:
the colour repeats the text, never replaces it. The colours are in
static/css/admin.css, loaded into every admin page by
academy_site/wagtail_hooks.py; each app says which tone its statuses take.
"""

from wagtail.admin.ui.tables import StatusTagColumn

TONES = ("info", "good", "warning", "bad", "neutral")


class ToneStatusColumn(StatusTagColumn):
    """A status tag in the tone `tones[value]` (one of TONES; "neutral" for a
    value not listed). `tones` maps the raw value of `tone_field`."""

    cell_template_name = "academy_site/admin/tone_status_cell.html"

    def __init__(self, name, *, tones: dict[str, str], tone_field=None, **kwargs):
        super().__init__(name, **kwargs)
        unknown = set(tones.values()) - set(TONES)
        if unknown:
            raise ValueError(f"Unknown tones {sorted(unknown)}; use {TONES}.")
        self.tones = tones
        self.tone_field = tone_field or name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        raw = getattr(instance, self.tone_field, "")
        context["tone"] = self.tones.get(raw, "neutral")
        return context
