"""Fixed-window counters in Django's default cache: the one way the academy
limits how often something may happen (failed log-ins, certificate look-ups,
e-mails sent on request). Nothing goes to the database; a window that ends
forgives everything, so nobody is locked out for good.

A counter is named by a scope ("accounts:mail:address") and a subject (an
address, an e-mail), hashed into a short key that is safe whatever the
subject holds.
"""

import hashlib
import math
import time

from django.core.cache import cache


def now() -> float:
    """The clock the windows are measured with; tests move it forward."""
    return time.time()


def window_key(scope: str, subject: str, window: int, moment: float) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()
    return f"{scope}:{digest}:{int(moment // window)}"


def increment(key: str, *, window: int) -> int:
    """The counter after adding one, atomically on the cache backends the
    academy runs with (Redis: INCR; the local-memory cache: under its lock)."""
    # add() is a no-op when the key exists, so concurrent first requests do
    # not reset each other.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired or was evicted between add() and incr().
        cache.add(key, 0, timeout=window)
        return cache.incr(key)


def decrement(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:
        pass  # the window ended: nothing left to give back


def seconds_left(window: int, moment: float) -> int:
    """Seconds until the window holding `moment` ends (at least 1)."""
    return max(1, math.ceil((int(moment // window) + 1) * window - moment))


def hit(*, scope: str, subject: str, limit: int, window: int) -> int:
    """Count one request of `subject`: 0 when it is within `limit` per
    `window` seconds, else the seconds until it may try again."""
    moment = now()
    count = increment(window_key(scope, subject, window, moment), window=window)
    return 0 if count <= limit else seconds_left(window, moment)
