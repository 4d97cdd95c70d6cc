"""The Content-Security-Policy header (Django 5.2 has none built in).

Installed in MIDDLEWARE (academy_site/settings/base.py). The public site gets a
strict policy: scripts, styles, fonts and images from this origin only, no inline
script, handler or style attribute (templates/ keeps none: scripts live in
static/js/, styles in static/css/), and frames only from the privacy-friendly
video hosts that courses/blocks.py embeds. The Wagtail admin renders inline
scripts of its own (widgets, inline panels), so it gets the parts that do not
break it. Tested by tests/academy_site/test_csp.py.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"

# Exactly the hosts of courses.blocks.video_embed_url(): YouTube's no-cookie
# domain and Vimeo's player. Change both together.
VIDEO_FRAME_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

PUBLIC_POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-src", " ".join(VIDEO_FRAME_HOSTS)),
)

# Wagtail 8's admin still has inline <script> (date widgets, inline panels) and
# style attributes, so script-src/style-src would break it; these three cost it
# nothing.
ADMIN_POLICY = (
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
)


def _frame_ancestors(response: HttpResponse) -> str:
    # Wagtail's preview panel frames its own preview view, which it marks
    # X-Frame-Options: SAMEORIGIN; everything else is DENY (X_FRAME_OPTIONS).
    if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
        return "'self'"
    return "'none'"


def content_security_policy(request: HttpRequest, response: HttpResponse) -> str:
    """The policy for this response: the admin's or the public site's."""
    if request.path.startswith("/admin/"):
        directives = list(ADMIN_POLICY)
    else:
        directives = list(PUBLIC_POLICY)
    directives.append(("frame-ancestors", _frame_ancestors(response)))
    parts = [f"{name} {value}" for name, value in directives]
    # Only where the site is served over HTTPS (production redirects to it):
    # on http://localhost the upgrade would break every asset.
    if not request.path.startswith("/admin/") and getattr(
        settings, "SECURE_SSL_REDIRECT", False
    ):
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    """Adds Content-Security-Policy unless the view set its own (private
    submission files and certificate downloads send `default-src 'none'`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = content_security_policy(request, response)
        return response
