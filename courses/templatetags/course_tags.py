from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext

from academy_site.public_cache import site_wide
from courses.locales import default_locale, with_translations
from courses.models import CourseIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_url(context) -> str:
    """The URL of the site's catalogue in the visitor's language, looked up
    once per request."""
    request = context.get("request")
    cache = getattr(request, "_catalogue_url", None) if request else None
    if cache is not None:
        return cache

    def build() -> str:
        # The original catalogue, then its translation in the visitor's
        # language.
        index = (
            CourseIndexPage.objects.live()
            .filter(locale=default_locale())
            .order_by("path")
            .first()
        )
        return (with_translations([index], request)[0].shown_url or "") if index else ""

    # The same for everyone in a language: cached as visitors' pages are.
    url = site_wide(request, "catalogue-url", build)
    if request is not None:
        request._catalogue_url = url
    return url


@register.filter
def is_under(path: str, prefix: str) -> bool:
    return bool(prefix) and prefix != "/" and str(path).startswith(prefix)


@register.filter
def run_dates(run) -> str:
    """The run's dates in the active language's formats: one date for a one-day
    run, else "first – last day" with the year once when both share it. No
    "3–5 Dec" shortening: where the day goes depends on the language."""
    start, end = run.starts_on, run.ends_on
    if start == end:
        return date_format(start, "DATE_FORMAT")
    first = date_format(
        start, "MONTH_DAY_FORMAT" if start.year == end.year else "DATE_FORMAT"
    )
    return f"{first} – {date_format(end, 'DATE_FORMAT')}"


@register.filter
def hours(value) -> str:
    value = Decimal(value).normalize()
    # Whole hours choose the plural form; a fraction ("1.5 hours") takes the
    # form for many, which Serbian also uses for decimals.
    count = int(value) if value == value.to_integral_value() else 0
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {
        "hours": number_format(value)
    }


@register.filter
def rsd(value) -> str:
    """A price in Serbian dinars, "Free" for zero, grouped and with the
    decimal mark of the page's language: 18,000 RSD in English, 18.000 RSD
    in Serbian; paras only when there are any (18.000,50 RSD)."""
    value = Decimal(value)
    if value == 0:
        return gettext("Free")
    decimals = 0 if value == value.to_integral_value() else 2
    amount = number_format(value, decimal_pos=decimals, force_grouping=True)
    return f"{amount} RSD"
