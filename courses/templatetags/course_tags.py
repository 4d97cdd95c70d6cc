from decimal import Decimal

from django import template
from django.utils.formats import date_format

from courses.models import CourseIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_url(context) -> str:
    """The URL of the site's catalogue, looked up once per request."""
    request = context.get("request")
    cache = getattr(request, "_catalogue_url", None) if request else None
    if cache is not None:
        return cache
    index = CourseIndexPage.objects.live().order_by("path").first()
    url = index.get_url(request) if index else ""
    if request is not None:
        request._catalogue_url = url
    return url


@register.filter
def is_under(path: str, prefix: str) -> bool:
    return bool(prefix) and prefix != "/" and str(path).startswith(prefix)


@register.filter
def run_dates(run) -> str:
    """ "3–5 Dec 2026", "28 Nov – 2 Dec 2026" or "1 Dec 2026" for a one-day run."""
    start, end = run.starts_on, run.ends_on
    if start == end:
        return date_format(start, "j M Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j M Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j M')} – {date_format(end, 'j M Y')}"
    return f"{date_format(start, 'j M Y')} – {date_format(end, 'j M Y')}"


@register.filter
def hours(value) -> str:
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return f"{text} hour" if value == 1 else f"{text} hours"


@register.filter
def rsd(value) -> str:
    """A price in Serbian dinars, "Free" for zero: 12.000 RSD."""
    value = Decimal(value)
    if value == 0:
        return "Free"
    whole = f"{value.quantize(Decimal('1')):,}".replace(",", ".")
    return f"{whole} RSD"
