"""Short rotating codes for self check-in.

A code is derived from the meeting and the current time step with an HMAC keyed
by SECRET_KEY, so the server can check it without storing anything, a code of
one meeting is useless for another, and a code seen yesterday (or 2 minutes ago)
no longer works. The code shown rotates every STEP_SECONDS; the one just before
is still accepted, for the trainee who was typing as it changed.
"""

import datetime as dt
import hashlib
import hmac
import time

from django.conf import settings
from django.utils import timezone

STEP_SECONDS = 45
CODE_LENGTH = 6
# No 0/O, 1/I/L: codes are read off a projector and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
OPENS_BEFORE_START = dt.timedelta(minutes=15)


def current_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def code_for(meeting_id: int, step: int) -> str:
    key = hashlib.sha256(f"checkin:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, f"{meeting_id}:{step}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def seconds_left(at: float | None = None) -> int:
    now = time.time() if at is None else at
    return STEP_SECONDS - int(now % STEP_SECONDS)


def check_in_window(meeting) -> tuple[dt.datetime, dt.datetime]:
    return meeting.starts_at - OPENS_BEFORE_START, meeting.ends_at


def window_is_open(meeting, now: dt.datetime | None = None) -> bool:
    opens, closes = check_in_window(meeting)
    return opens <= (now or timezone.now()) <= closes


def matches(meeting_id: int, code: str, *, at: float | None = None) -> bool:
    """The code shown now, or the one just before it."""
    step = current_step(at)
    code = normalise(code)
    return any(
        hmac.compare_digest(code, code_for(meeting_id, s)) for s in (step, step - 1)
    )


def matched_recently(meeting_id: int, code: str, *, at: float | None = None) -> bool:
    """An older code of this meeting (from the last few hours): expired."""
    step = current_step(at)
    code = normalise(code)
    return any(code == code_for(meeting_id, s) for s in range(step - 2, step - 400, -1))
