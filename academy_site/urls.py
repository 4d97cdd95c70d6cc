from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from academy_site.languages import language_switch
from certificates.views import issuer as issuer_views
from certificates.views import verification as verification_views
from enrolments.accounts.admin_login import ThrottledAdminPasswordResetView
from enrolments.views import calendar as calendar_views

# Without a language prefix: the Wagtail admin (its language is the user's
# admin preference), documents, and the language switcher itself.
urlpatterns = [
    # Wagtail's password reset with the site's limits on e-mails sent on request.
    path(
        "admin/password_reset/",
        ThrottledAdminPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("language/", language_switch, name="language_switch"),
    # A calendar subscription: one address for good, whatever the language.
    path("calendar/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
    # The credentials' issuer (did:web): its keys, for anyone to check them.
    path(".well-known/did.json", issuer_views.did_json, name="did_json"),
    # The verification page as JSON, for employers' systems.
    path("api/verify/<str:code>", verification_views.verify_api, name="verify_api"),
    path(
        "credentials/status/<int:number>.jwt",
        issuer_views.status_list,
        name="credential_status_list",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public site in each language: /en/..., /sr-latn/..., /sr/... An address
# without a prefix (a QR code, an old link) redirects to the visitor's language.
urlpatterns += i18n_patterns(
    path("account/", include("enrolments.accounts.urls")),
    path("learning/", include("enrolments.urls")),
    path("teaching/", include("enrolments.teaching.urls")),
    path("organisation/", include("enrolments.coordination.urls")),
    path("", include("certificates.urls")),
    # Everything else is a Wagtail page: home, catalogue, courses, modules.
    path("", include(wagtail_urls)),
)
