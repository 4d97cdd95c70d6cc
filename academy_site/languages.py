"""The site's language: the switcher, the preference kept per user, and the
language-neutral paths printed on paper.

A page's language is the one in its URL prefix (/en/, /sr-latn/, /sr/). The
visitor's choice is kept in Django's language cookie, which LocaleMiddleware
reads for URLs without a prefix (the home page link, a QR code); a signed-in
user's choice is also kept on their profile (the trainee profile, else Wagtail's
own user profile) so that it follows them to another browser and decides the
language of the e-mails and certificates they receive.

Every app imports this module, so it imports none of their models: an app
that keeps a user's language on a model of its own (enrolments, on the
trainee profile) registers a `LanguageStore` from its AppConfig.ready.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path

# The signed-in user's saved language, copied into the session at log-in so
# that keeping the cookie in step costs no query per request.
SESSION_KEY = "preferred_language"


@dataclass(frozen=True)
class LanguageStore:
    """Where an app keeps some users' language. `read(user)` is the saved
    language, or None when the store does not hold this user; `save(user,
    language)` is True when it held the user and saved the language. A user
    no store holds keeps it on Wagtail's own user profile."""

    read: Callable[..., str | None]
    save: Callable[..., bool]


_stores: list[LanguageStore] = []


def language_store_register(store: LanguageStore) -> None:
    """Consult `store` before Wagtail's user profile (idempotent, since an
    AppConfig.ready may run more than once)."""
    if store not in _stores:
        _stores.append(store)


def language_codes() -> list[str]:
    """The site's languages, read from settings when asked (tests override
    them)."""
    return [code for code, _name in settings.LANGUAGES]


def language_is_supported(language: str) -> bool:
    return language in language_codes()


def user_preferred_language(user) -> str | None:
    """The language a signed-in user chose, or None when they never chose one."""
    if not getattr(user, "is_authenticated", False):
        return None
    for store in _stores:
        language = store.read(user)
        if language is not None:
            return language
    profile = getattr(user, "wagtail_userprofile", None)
    language = getattr(profile, "preferred_language", "") or None
    return language if language and language_is_supported(language) else None


def in_language(language: str | None):
    """A context in which text, dates and links come out in `language`: for
    e-mails and documents made outside the reader's own request (in a worker,
    say). The site's default language for none or an unknown one."""
    if not language or not language_is_supported(language):
        language = settings.LANGUAGE_CODE
    return translation.override(language)


def in_language_of(user):
    """`in_language` of the language `user` chose."""
    return in_language(user_preferred_language(user))


def preferred_language_set(*, user, language: str) -> None:
    """Remember `language` for a signed-in user: in the first registered store
    that holds them (a trainee's profile), else on Wagtail's user profile (for
    staff, where it also sets the admin's language)."""
    if not language_is_supported(language):
        raise ValueError(f"Unsupported language: {language!r}")
    from wagtail.users.models import UserProfile

    if not any(store.save(user, language) for store in _stores):
        UserProfile.objects.update_or_create(
            user=user, defaults={"preferred_language": language}
        )


def locales_sync() -> None:
    """A Wagtail locale for every site language (the migration makes them; a
    flushed test database gets them back through post_migrate)."""
    from wagtail.models import Locale

    for language in language_codes():
        Locale.objects.get_or_create(language_code=language)


def strip_language_prefix(path: str) -> str:
    """`/sr/verify/abc/` -> `/verify/abc/`: a path that LocaleMiddleware sends to
    the reader's own language (used for QR codes and other printed links)."""
    language = get_language_from_path(path)
    if language:
        return path[len(language) + 1 :]
    return path


def prefix_swap(url: str, language: str) -> str:
    """The same address under another language prefix (a page's own URL is
    always prefixed with its locale's language)."""
    parts = urlsplit(url)
    current = get_language_from_path(parts.path)
    if not current or current == language:
        return url
    path = f"/{language}" + parts.path[len(current) + 1 :]
    return parts._replace(path=path).geturl()


def url_in_language(request: HttpRequest, url: str, language: str) -> str:
    """`url` (a path on this site) as it reads in `language`: a Wagtail page's
    own translation when it has a live one, else the same address with the
    other language prefix (the page is then shown in its original language).
    A public path without a prefix gets one."""
    from wagtail.models import Locale, Page

    parts = urlsplit(url)
    current = get_language_from_path(parts.path)
    if not current:
        if parts.path.startswith(SiteLocaleMiddleware.UNPREFIXED):
            return url
        return f"/{language}{url}" if url.startswith("/") else url
    with translation.override(current):
        page = Page.find_for_request(request, strip_language_prefix(parts.path))
        if page is not None:
            locale = Locale.objects.filter(language_code=language).first()
            translated = (
                page.get_translation_or_none(locale) if locale is not None else None
            )
            if translated is not None and translated.live:
                with translation.override(language):
                    target = translated.get_url(request)
                if target:
                    return target + (f"?{parts.query}" if parts.query else "")
        # Django's routes: resolved in the URL's own language (the prefix
        # only matches the active one), reversed in the other.
        return translate_url(url, language)


def language_switch(request: HttpRequest):
    """POST language=<code>, next=<path>: remember the choice and go to `next`
    in that language. Unknown languages and foreign `next` URLs are ignored
    (the visitor lands on the home page in their current language)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if not language_is_supported(language):
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        preferred_language_set(user=request.user, language=language)
        request.session[SESSION_KEY] = language
    response = HttpResponseRedirect(url_in_language(request, next_url, language))
    language_cookie_set(response, language)
    return response


def language_cookie_set(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 outside the public site
    (the admin, documents, static and media files, the switcher, the API and
    the credentials' issuer documents) stays a 404.
    Django would redirect it to the same path under the language prefix, which
    the Wagtail page route always matches."""

    UNPREFIXED = (
        "/admin/",
        "/documents/",
        "/language/",
        "/static/",
        "/media/",
        # Answers for machines: a 404 there is an answer, not a page.
        "/api/",
        "/credentials/",
        "/.well-known/",
    )

    def process_response(self, request, response):
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)


def remember_at_log_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the saved language goes into the session."""
    language = user_preferred_language(user)
    if request is not None and language:
        request.session[SESSION_KEY] = language


class PreferredLanguageMiddleware:
    """Keep the language cookie in step with a signed-in user's saved choice,
    so that after logging in on a new browser the next address without a
    prefix (the home page, a QR code) opens in their language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        preferred = session.get(SESSION_KEY) if session is not None else None
        if preferred and preferred != request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME
        ):
            language_cookie_set(response, preferred)
        return response
