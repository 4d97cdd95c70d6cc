"""Absolute links to the academy, for what is read away from the site:
e-mails, certificates (the printed address and its QR code), exports.

One base address, WAGTAILADMIN_BASE_URL: `make run` and `run_academy` set it
from the host and port they serve (so a link in an e-mail opens the site that
sent it), production requires it. Read when asked, never at import time, so
tests and the run command can change it.
"""

from django.conf import settings


def site_url() -> str:
    """The academy's address without a trailing slash: "https://academy.example"."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (from reverse() or get_absolute_url(), starting with "/") on the
    academy's address."""
    return site_url() + path
