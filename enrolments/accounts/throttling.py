"""Limits on failed log-ins, so a password cannot be guessed by trying many.

Failures are counted per account (the e-mail in the one form accounts are
looked up by, selectors.email_normalise) and per client address in fixed
windows kept in Django's default cache. When a limit is
reached, further attempts are refused without checking the password until the
window ends; nothing is stored in the database, so the real owner is never
locked out for good, and a completed password reset clears the account count.
An e-mail that belongs to no account is counted exactly like one that does, so
the throttle does not reveal which addresses are registered.
"""

import hashlib
import math
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext

from academy_site import ratelimit
from enrolments.accounts.selectors import email_normalise

FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 20
WINDOW_SECONDS = 15 * 60

_KEY_PREFIX = "accounts:login-failures"


def now() -> float:
    """The clock the windows are measured with; tests move it forward."""
    return time.time()


def client_address(request: HttpRequest | None) -> str:
    """The address failures are counted against: REMOTE_ADDR, as set by the
    server in front of Django (a proxy must pass the client's address there)."""
    if request is None:
        return "unknown"
    return request.META.get("REMOTE_ADDR") or "unknown"


def login_attempt_reserve(*, email: str, address: str) -> int:
    """Reserve one password check for this account from this address, before
    the password is hashed; returns 0 when reserved, else the seconds until the
    window ends.

    The reservation is an atomic increment of both counters, so however many
    requests arrive at once, only the first FAILURES_PER_ACCOUNT of a window
    (and FAILURES_PER_ADDRESS from one address) get their password checked: a
    read of the count before the hash and a write after it let every request
    of a burst through (30 simultaneous guesses were all checked). A check that
    succeeds gives its reservation back (login_attempt_release); a failure keeps
    it as the failure's count.
    """
    moment = now()
    address_key, account_key = _address_key(address, moment), _account_key(
        email, moment
    )
    if _increment(address_key) > FAILURES_PER_ADDRESS:
        return _seconds_left(moment)
    if _increment(account_key) > FAILURES_PER_ACCOUNT:
        # No password is checked, so the address gives its reservation back.
        _decrement(address_key)
        return _seconds_left(moment)
    return 0


def login_attempt_release(*, email: str, address: str) -> None:
    """Give back the reservation of a log-in whose password was right: only
    failures count against the limits."""
    moment = now()
    for key in (_account_key(email, moment), _address_key(address, moment)):
        _decrement(key)


def login_failures_clear(*, email: str) -> None:
    """Forget the account's failures, after its owner proved who they are by
    resetting the password. The address count stays: it protects others too."""
    cache.delete(_account_key(email, now()))


def minutes_to_wait(seconds: int) -> str:
    """'1 minute' or 'N minutes', rounded up, for the refusal message."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {
        "minutes": minutes
    }


def _window(moment: float) -> int:
    return int(moment // WINDOW_SECONDS)


def _window_end(moment: float) -> float:
    return (_window(moment) + 1) * WINDOW_SECONDS


def _account_key(email: str, moment: float) -> str:
    # Hashed: cache keys must be short and free of spaces whatever was typed.
    digest = hashlib.sha256(email_normalise(email).encode()).hexdigest()
    return f"{_KEY_PREFIX}:account:{digest}:{_window(moment)}"


def _address_key(address: str, moment: float) -> str:
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{_KEY_PREFIX}:address:{digest}:{_window(moment)}"


def _seconds_left(moment: float) -> int:
    return max(1, math.ceil(_window_end(moment) - moment))


def _increment(key: str) -> int:
    return ratelimit.increment(key, window=WINDOW_SECONDS)


def _decrement(key: str) -> None:
    ratelimit.decrement(key)


# --- E-mails sent on request ------------------------------------------------
# Sign-up, a new confirmation link and a password reset (on the site and in the
# admin) each send an e-mail to an address anyone can type: limited per client
# address and per e-mail address, so nobody can flood someone's inbox. The
# e-mail's count does not say whether it has an account.

MAILS_PER_ADDRESS = 5
MAIL_ADDRESS_WINDOW = 60
MAILS_PER_EMAIL = 3
MAIL_EMAIL_WINDOW = 60 * 60


def mail_request_reserve(*, email: str, address: str) -> int:
    """Count one request to e-mail `email` from `address`: 0 when it may be
    sent, else the seconds to wait."""
    wait = ratelimit.hit(
        scope="accounts:mail:address",
        subject=address,
        limit=MAILS_PER_ADDRESS,
        window=MAIL_ADDRESS_WINDOW,
    )
    if wait:
        return wait
    return ratelimit.hit(
        scope="accounts:mail:email",
        subject=email_normalise(email),
        limit=MAILS_PER_EMAIL,
        window=MAIL_EMAIL_WINDOW,
    )


def mail_refusal(seconds: int) -> str:
    return gettext(
        "Too many requests, so no e-mail was sent. Try again in %(wait)s."
    ) % {"wait": minutes_to_wait(seconds)}


def mail_limited(view, form):
    """For the views that send an e-mail on request: None when it may go, else
    the form again with the refusal (HTTP 429) and nothing sent."""
    wait = mail_request_reserve(
        email=form.cleaned_data.get("email", ""),
        address=client_address(view.request),
    )
    if not wait:
        return None
    form.add_error(None, mail_refusal(wait))
    response = view.form_invalid(form)
    response.status_code = 429
    return response
