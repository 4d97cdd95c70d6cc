"""Template tags for content shown in the reader's language.

{% in_reader_script page %}...{% end_in_reader_script %} writes what it
encloses in the reader's script when the reader reads Serbian and `page` is
Serbian text (courses.locales.in_serbian): a course translated into Serbian
Latin only, read in Cyrillic, or an untranslated course taught in Serbian,
so a catalogue never mixes the two scripts. English text is left as it is.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from academy_site.transliteration import to_script
from courses.locales import (
    OTHER_SCRIPT,
    in_serbian,
    latin_terms,
    url_in_active_language,
)

register = template.Library()


class ReaderScriptNode(template.Node):
    def __init__(self, page, nodelist):
        self.page, self.nodelist = page, nodelist

    def render(self, context):
        output = self.nodelist.render(context)
        page = self.page.resolve(context)
        language = get_language()
        if page is None or language not in OTHER_SCRIPT or not in_serbian(page):
            return output
        # Already-escaped HTML, letters mapped one to one: tags, attributes,
        # entities, code samples and URLs are left as they are, and no "<",
        # ">" or "&" is ever added.
        keep = latin_terms()
        return mark_safe(to_script(output, cyrillic=language == "sr", keep=keep))


@register.tag
def in_reader_script(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Usage: {% in_reader_script page %}")
    nodelist = parser.parse(("end_in_reader_script",))
    parser.delete_first_token()
    return ReaderScriptNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag
def shown_url(page):
    """The page's address in the active language (courses/locales.py)."""
    return getattr(page, "shown_url", None) or url_in_active_language(page)
