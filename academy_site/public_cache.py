"""Visitors' pages, cached whole: the home page, the catalogue and course
pages are the same for every visitor in a language, and they are what a
burst of visitors after a newsletter asks for.

What is cached: a GET of a page whose class says `public_cache = True`,
answered 200 to a visitor with no session and no pending message (anyone
logged in, or with something to be told, is served fresh), with only the
catalogue's own query parameters. The key is the site, the path and
query, the day (runs open and close by date) and the *generation*: one
counter for all public pages.

Invalidation: anything a visitor's page shows raises the generation, so
every cached page is stale at once. Publishing, unpublishing, moving or
deleting a page, changing an image or a site (here); runs, meetings, topics,
instructors and Latin terms (courses/public_pages.py); a seat taken or
freed and a run closed or reopened (enrolments/services/seats.py,
closing.py); the academy's settings (home/). The generation is raised when
the change is made and again when its transaction commits, so a page
rendered from the old rows in between is never served after the commit.
The bound: with a shared cache (Redis, CACHE_URL: production, CI) a
visitor sees a change as soon as it commits; CACHE_SECONDS caps any page's
age whatever happens (a process with a cache of its own, a missed signal).

Parts of every page that are the same for everyone in a language, the
footer and the header's link to the catalogue, are kept the same way for
signed-in users' pages too (`site_wide`): under the generation, so they
change when visitors' pages do, and never longer than CACHE_SECONDS.

The CSRF token in a cached page (the language switcher is a POST form) is
the first visitor's: it is replaced on every hit by the visitor's own.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"
# Query parameters a cached page may have: the catalogue's filters and pages.
CACHED_PARAMETERS = {"q", "topic", "level", "format", "language", "page"}
HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary")
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"__ACADEMY_CSRF_TOKEN__"


def cache_seconds() -> int:
    return settings.ACADEMY_PUBLIC_PAGE_CACHE_SECONDS


def public_pages_changed() -> None:
    """Something visitors' pages show has changed: raise the generation now
    and again once the transaction commits."""
    _generation_raise()
    transaction.on_commit(_generation_raise)


def _generation_raise() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted)
        cache.add(GENERATION_KEY, 1, timeout=None)
        cache.incr(GENERATION_KEY)


def _generation() -> int:
    return cache.get(GENERATION_KEY) or 0


def site_wide(request, name: str, build):
    """A part of every page that is the same for everyone in a language (the
    header's link to the catalogue, the footer), built by `build()` and kept
    as visitors' pages are: under the generation, so whatever changes what
    it shows is seen as soon as it commits, and for CACHE_SECONDS at most.
    A signed-in user's page then reads it from the cache too. The
    generation is read once per request."""
    if request is None or not cache_seconds():
        return build()
    generation = getattr(request, "_public_generation", None)
    if generation is None:
        generation = request._public_generation = _generation()
    raw = "|".join([str(generation), request.get_host(), get_language() or "", name])
    key = "site-wide:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=cache_seconds())
    return value


def mark_cacheable(request, page) -> None:
    """Called before a page is served (academy_site/wagtail_hooks.py): the
    pages whose class says `public_cache = True`, without view restrictions."""
    if getattr(page.specific_class, "public_cache", False):
        if not page.get_view_restrictions().exists():
            request.public_page = True


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or not cache_seconds():
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return set(request.GET) <= CACHED_PARAMETERS


def _key(request) -> str:
    query = "&".join(
        f"{name}={value}"
        for name in sorted(request.GET)
        for value in request.GET.getlist(name)
    )
    raw = "|".join(
        [
            str(_generation()),
            request.get_host(),
            request.path,
            query,
            timezone.localdate().isoformat(),
        ]
    )
    return "public-page:" + hashlib.sha256(raw.encode()).hexdigest()


class PublicPageCacheMiddleware:
    """Serves and stores the cached pages (after authentication and
    messages in MIDDLEWARE, so it can tell a visitor from a user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request) or request.user.is_authenticated:
            return self.get_response(request)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            return _hit(request, stored)
        response = self.get_response(request)
        if (
            getattr(request, "public_page", False)
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            content = _CSRF_VALUE.sub(
                rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<2>", response.content
            )
            headers = {h: response[h] for h in HEADERS_KEPT if h in response}
            cache.set(key, (content, headers), timeout=cache_seconds())
            response["X-Academy-Cache"] = "miss"
        return response


def _hit(request, stored) -> HttpResponse:
    content, headers = stored
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for header, value in headers.items():
        response[header] = value
    response["X-Academy-Cache"] = "hit"
    return response


# --- What raises the generation from Wagtail's side ----------------------------


def _page_changed(sender, **kwargs):
    public_pages_changed()


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        public_pages_changed()


def connect_signals() -> None:
    """Pages published, unpublished, moved or deleted, images changed (a
    course card shows one) and sites changed. Called from
    academy_site/apps.py."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"public-cache-{signal}")
    post_delete.connect(_deleted, dispatch_uid="public-cache-page-deleted")
    from wagtail.models import Site

    image_model = get_image_model()
    for signal in (post_save, post_delete):
        signal.connect(
            _page_changed,
            sender=image_model,
            dispatch_uid=f"public-cache-image-{signal}",
        )
        # A site's host or root page: every address on it (the header's
        # link to the catalogue, `site_wide`).
        signal.connect(
            _page_changed, sender=Site, dispatch_uid=f"public-cache-site-{signal}"
        )
