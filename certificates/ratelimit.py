"""A limit on certificate look-ups per client address.

Verification codes carry 192 random bits, so guessing one is hopeless; the
limit is there so nobody can hammer the look-up (by code or by uploaded file)
or use it to scrape. Look-ups are counted per address in fixed windows kept in
Django's default cache, the approach of the log-in limits
(enrolments/accounts/throttling.py): nothing goes to the database and a window
that ends forgives everything.
"""

import hashlib
import math
import time

from django.core.cache import cache

LOOKUPS_PER_WINDOW = 30
WINDOW_SECONDS = 60

_KEY_PREFIX = "certificates:lookups"


def now() -> float:
    """The clock the windows are measured with; tests move it forward."""
    return time.time()


def lookup_record(*, address: str) -> int:
    """Count one look-up from `address`: 0 when it may go ahead, otherwise the
    seconds until the window ends and it may try again."""
    moment = now()
    window = int(moment // WINDOW_SECONDS)
    # Hashed: an IPv6 address or "unknown" makes a clean, short cache key.
    digest = hashlib.sha256(address.encode()).hexdigest()
    key = f"{_KEY_PREFIX}:{digest}:{window}"
    # add() is a no-op when the key exists, so concurrent first look-ups do not
    # reset each other; incr() is atomic on the cache backends Django ships.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired or evicted between add() and incr().
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    if count <= LOOKUPS_PER_WINDOW:
        return 0
    window_end = (window + 1) * WINDOW_SECONDS
    return max(1, math.ceil(window_end - moment))
