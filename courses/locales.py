"""Course content in the visitor's language, falling back to the original.

Courses are written in the default locale (LANGUAGE_CODE) and translated in
Wagtail (Translate in a page's menu, wagtail.contrib.simple_translation), which
copies a page into another locale's tree with the same translation key. The
original page holds what is not text: runs, enrolments, progress, quiz
attempts, submissions and certificates all point at it. A translation only
changes what is read.

- `original()` maps any page to the page that holds the data.
- `with_translations()` fetches, in one query, the live translations in the
  active language of a list of original pages, for display.
- `FallbackRoutingMixin` serves a page that has no translation under a
  translated parent, in its original language, at the translated address.

Serbian has two scripts: a page translated into one of them only is shown to
readers of the other transliterated (`{% in_reader_script %}`), rather than in
the original language.
"""

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_migrate, post_save
from django.http import Http404
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from academy_site.languages import prefix_swap

# The other script of a language: its translation is the next best thing.
OTHER_SCRIPT = {"sr": "sr-latn", "sr-latn": "sr"}


# Locales by language code. The rows are made once by a migration and never
# change in use, so they are looked up once per process rather than once per
# page; any save or delete of a Locale, and a (test) database flush, which
# ends in post_migrate, forget them.
_locales: dict[str, Locale] = {}


def _forget_locales(**kwargs) -> None:
    _locales.clear()


post_save.connect(_forget_locales, sender=Locale, dispatch_uid="forget_locales")
post_delete.connect(_forget_locales, sender=Locale, dispatch_uid="forget_locales")
post_migrate.connect(_forget_locales, dispatch_uid="forget_locales")


def locale_for(language: str) -> Locale | None:
    """The content locale of a site language (None when it has none)."""
    try:
        code = get_supported_content_language_variant(language)
    except LookupError:
        return None
    if code not in _locales:
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            return None
        _locales[code] = locale
    return _locales[code]


def default_locale() -> Locale:
    return locale_for(settings.LANGUAGE_CODE) or Locale.get_default()


def reading_locales() -> list[Locale]:
    """The locales a visitor reads, best first: the active language's, then
    the other script of it (Serbian)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    codes = [language] + ([OTHER_SCRIPT[language]] if language in OTHER_SCRIPT else [])
    return [locale for locale in map(locale_for, codes) if locale is not None]


def page_language(page: Page) -> str:
    """The language code of the page's locale; set by with_translations() on
    the pages it returns so templates need no query for it."""
    known = getattr(page, "language_code", None)
    if known is not None:
        return known
    # The locales of this request are usually known already.
    for locale in _locales.values():
        if locale.pk == page.locale_id:
            return locale.language_code
    return page.locale.language_code


def original(page: Page) -> Page:
    """The page in the default locale that `page` translates (itself when it is
    the original, or when it was written directly in another language)."""
    locale = default_locale()
    if page.locale_id == locale.pk:
        return page
    source = (
        type(page)
        .objects.filter(translation_key=page.translation_key, locale=locale)
        .first()
    )
    return source or page


def in_serbian(page: Page) -> bool:
    """Whether the page's text is Serbian, so a Serbian reader gets it in
    their script: a page of a Serbian locale, or a course taught in Serbian
    (whose original, in the default locale, is written in Serbian)."""
    return page_language(page) in OTHER_SCRIPT or getattr(page, "language", "") == "sr"


def with_translations(pages: list, request=None) -> list:
    """Set `shown` on each page: its live translation in the active language,
    else in the other script of it, else the page itself; `shown_url`, an
    address in the active language; and `shown.language_code`. At most one
    query, whatever the number of pages, and none when they are all in the
    active language already. `request` lets Wagtail keep the site's root
    paths on it instead of asking the cache for every URL."""
    pages = list(pages)
    locales = reading_locales() if pages else []
    wanted = [p for p in pages if locales and p.locale_id != locales[0].pk]
    found = {}
    if wanted:
        model = type(wanted[0])
        candidates = model.objects.live().filter(
            translation_key__in=[p.translation_key for p in wanted],
            locale__in=locales,
        )
        for candidate in candidates.defer_streamfields():
            found[(candidate.translation_key, candidate.locale_id)] = candidate
    codes = {locale.pk: locale.language_code for locale in locales}
    default = default_locale() if pages else None
    if default is not None:
        codes.setdefault(default.pk, default.language_code)
    for page in pages:
        page.shown = next(
            (
                found[(page.translation_key, locale.pk)]
                for locale in locales
                if (page.translation_key, locale.pk) in found
            ),
            page,
        )
        page.shown_url = url_in_active_language(page.shown, request)
        if page.shown.locale_id in codes:
            page.shown.language_code = codes[page.shown.locale_id]
    return pages


# The terms authors keep in Latin, cached for every title and text shown in
# the other script; a saved or deleted term forgets them at once.
LATIN_TERMS_CACHE_KEY = "courses:latin-terms"


def _forget_latin_terms(**kwargs) -> None:
    cache.delete(LATIN_TERMS_CACHE_KEY)


# By name: courses.models imports this module.
post_save.connect(
    _forget_latin_terms, sender="courses.LatinTerm", dispatch_uid="forget_latin_terms"
)
post_delete.connect(
    _forget_latin_terms, sender="courses.LatinTerm", dispatch_uid="forget_latin_terms"
)


def latin_terms() -> tuple[str, ...]:
    """The terms listed in Snippets > Terms kept in Latin, for
    academy_site.transliteration's `keep`."""
    # Looked up by name: courses.models imports this module.
    terms = apps.get_model("courses", "LatinTerm").objects
    return cache.get_or_set(
        LATIN_TERMS_CACHE_KEY,
        lambda: tuple(terms.values_list("term", flat=True)),
        timeout=None,
    )


def title_in(page: Page, language: str) -> str:
    """The page's title in `language`: its live translation; else, for a
    Serbian script, the other script's translation transliterated; else the
    original's title. For e-mails and certificates, made outside a request."""
    source = original(page)
    codes = [language] + ([OTHER_SCRIPT[language]] if language in OTHER_SCRIPT else [])
    titles = dict(
        type(source)
        .objects.live()
        .filter(translation_key=source.translation_key, locale__language_code__in=codes)
        .values_list("locale__language_code", "title")
    )
    return title_chosen(titles, language, fallback=source.title)


def titles_by_language(page: Page) -> dict[str, str]:
    """The titles of the page's original and of its live translations, by
    language code, as a run records them for its certificates."""
    source = original(page)
    titles = dict(
        type(source)
        .objects.live()
        .filter(translation_key=source.translation_key)
        .values_list("locale__language_code", "title")
    )
    titles.setdefault(page_language(source), source.title)
    return titles


def in_active_language(texts: dict[str, str]) -> str:
    """The text for the active language among `texts` (by language code,
    "en" the one always given): its own; else, for a Serbian script, the
    other script's transliterated; else the English one. For content kept
    in a field per language (topic names, the footer's tagline)."""
    language = translation.get_language() or "en"
    given = {code: text for code, text in texts.items() if text}
    return title_chosen(given, language, fallback=texts.get("en", ""))


def title_chosen(titles: dict[str, str], language: str, *, fallback: str) -> str:
    """The title for `language` among `titles` (by language code): its own;
    else, for a Serbian script, the other script's transliterated; else
    `fallback`. The one rule for live titles (title_in) and recorded ones."""
    from academy_site.transliteration import to_script

    if language in titles:
        return titles[language]
    other = OTHER_SCRIPT.get(language)
    if other in titles:
        return to_script(titles[other], cyrillic=language == "sr", keep=latin_terms())
    return fallback


def url_in_active_language(page: Page, request=None) -> str | None:
    """The page's address under the active language's prefix. A page's own
    URL carries its locale's prefix; a page in another locale (no
    translation) keeps its path under the visitor's prefix, so they stay in
    their language and the fallback routing below serves the original. No
    query: the prefix says the page's language."""
    url = page.get_url(request)
    if url is None:
        return None
    return prefix_swap(url, translation.get_language())


class FallbackRoutingMixin:
    """For pages with children. A translation's tree need not be complete: a
    child slug this page does not have (or has only as a draft) is looked up
    among the live children of its translation in the visitor's language and
    of its original, so an untranslated course is still found under a
    translated catalogue (shown in its original language), a translated
    course under a catalogue whose translation is not published yet, and a
    Latin-only translation at its Cyrillic address."""

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            slug, rest = path_components[0], path_components[1:]
            candidates = [
                self.get_translation_or_none(locale)
                for locale in reading_locales()
                if locale.pk != self.locale_id
            ] + [original(self)]
            for candidate in candidates:
                if candidate is None or candidate.pk == self.pk:
                    continue
                child = candidate.get_children().filter(slug=slug, live=True).first()
                if child is not None:
                    return child.specific.route(request, rest)
            raise
