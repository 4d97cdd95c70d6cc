"""A limit on certificate look-ups per client address.

Verification codes carry 192 random bits, so guessing one is hopeless; the
limit is there so nobody can hammer the look-up (by code or by uploaded file)
or use it to scrape. Look-ups are counted per address in fixed windows
(academy_site/ratelimit.py).
"""

from academy_site import ratelimit

LOOKUPS_PER_WINDOW = 30
WINDOW_SECONDS = 60

_SCOPE = "certificates:lookups"


def lookup_record(*, address: str) -> int:
    """Count one look-up from `address`: 0 when it may go ahead, otherwise the
    seconds until the window ends and it may try again."""
    return ratelimit.hit(
        scope=_SCOPE, subject=address, limit=LOOKUPS_PER_WINDOW, window=WINDOW_SECONDS
    )
